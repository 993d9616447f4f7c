-- wrk script for the edge benchmark: each thread sends its share of a fixed request list (one path a line), then stops
-- and writes when it started and finished (monotonic clock) to <times-file>.<thread>: wrk itself waits out -d before it
-- reports, so its own Requests/sec would count the idle tail.
-- init args: the list file, the number of threads, the times file prefix.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } wrk_timespec;
  int clock_gettime(int clock, wrk_timespec *time);
]]

local function now()
  local time = ffi.new("wrk_timespec")
  ffi.C.clock_gettime(1, time)
  return tonumber(time.tv_sec) + tonumber(time.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(args[1]) do
    table.insert(all, line)
  end
  local count = tonumber(args[2])
  times = args[3] .. "." .. id
  mine = {}
  for i = 1, #all do
    if (i - 1) % count == id then
      table.insert(mine, all[i])
    end
  end
  sent = 0
  received = 0
  started = nil
  wrk.headers["Host"] = "localhost"
  wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
  wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
end

function request()
  if started == nil then
    started = now()
  end
  sent = sent + 1
  return wrk.format("GET", mine[math.min(sent, #mine)])
end

function response(status, headers, body)
  received = received + 1
  if received == #mine then
    local file = io.open(times, "w")
    file:write(string.format("%.6f %.6f %d\n", started, now(), received))
    file:close()
    wrk.thread:stop()
  end
end
