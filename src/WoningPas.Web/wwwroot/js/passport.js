// WoningPas passport shell. The page itself is the same for every visitor (the CDN caches it); this module fetches
// the personal parts from the on-premise Api, served on the same origin under /api and /account, with the session
// cookie. Data is rendered with textContent only, never as HTML. The language is the page's: <html lang>.

const LANG = document.documentElement.lang === 'en' ? 'en' : 'nl-BE';
const EN = LANG === 'en';

const SIGN_IN_URL = `/account/login?returnUrl=${encodeURIComponent(window.location.pathname)}`;
const LOGOUT_URL = '/account/logout';
const DWELLINGS_URL = '/api/dwellings';
const REMINDERS_URL = '/api/me/reminders';
const passportUrl = (id) => `/api/dwellings/${encodeURIComponent(id)}/passport`;

// English pages write dates the European way ("15 January 2027").
const FORMAT_LOCALE = EN ? 'en-GB' : 'nl-BE';
const numberFormat = new Intl.NumberFormat(FORMAT_LOCALE, { maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat(FORMAT_LOCALE, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
// Moments (an access, a use of a share) are shown in Belgian time, whatever the visitor's clock says.
const dateTimeFormat = new Intl.DateTimeFormat(FORMAT_LOCALE, {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Brussels',
});

/** Picks the text of the page's language. */
const t = (dutch, english) => (EN ? english : dutch);

const RIGHTS = {
  owner: t('eigenaar', 'owner'),
  coOwner: t('mede-eigenaar', 'co-owner'),
  usufruct: t('vruchtgebruiker', 'usufructuary'),
  longLease: t('erfpachter', 'long-lease holder'),
};

const STATUSES = {
  valid: t('geldig', 'valid'),
  expiring: t('verloopt binnenkort', 'expiring soon'),
  expired: t('verlopen', 'expired'),
  missing: t('ontbreekt', 'missing'),
  notRequired: t('niet vereist', 'not required'),
  unavailable: t('tijdelijk niet beschikbaar', 'temporarily unavailable'),
};

const OBLIGATIONS = {
  notApplicable: t('geldt niet', 'does not apply'),
  met: t('vervuld', 'met'),
  pending: t('loopt', 'running'),
  overdue: t('termijn verstreken', 'deadline passed'),
};

const AGENCIES = {
  energyAgency: t('Vlaams Energie- en Klimaatagentschap', 'Flemish Energy and Climate Agency'),
  wasteAgency: 'OVAM',
  environmentDepartment: t('Departement Omgeving', 'Department of Environment'),
  housingAgency: t('Wonen in Vlaanderen', 'Housing Agency of Flanders'),
  municipality: t('gemeente', 'municipality'),
  cadastre: t('kadaster', 'cadastre'),
  owner: t('eigenaar', 'owner'),
};

const PERMIT_KINDS = {
  building: t('bouwvergunning', 'building permit'),
  environment: t('omgevingsvergunning', 'environment permit'),
  subdivision: t('verkavelingsvergunning', 'subdivision permit'),
};

const DECISIONS = {
  granted: t('verleend', 'granted'),
  refused: t('geweigerd', 'refused'),
  pending: t('in behandeling', 'pending'),
};

const INSTALLATIONS = {
  heating: t('verwarming', 'heating'),
  ventilation: t('ventilatie', 'ventilation'),
  solarPanels: t('zonnepanelen', 'solar panels'),
  heatPump: t('warmtepomp', 'heat pump'),
  electricalInspection: t('elektrische keuring', 'electrical inspection'),
};

const EPC_CLASSES = {
  'A+': 'epc-a-plus',
  A: 'epc-a',
  B: 'epc-b',
  C: 'epc-c',
  D: 'epc-d',
  E: 'epc-e',
  F: 'epc-f',
};

/** The sections in the order of the passport: the Api's name, the title and the guide page that explains it. */
const SECTIONS = [
  { key: 'epc', title: t('Energieprestatiecertificaat (EPC)', 'Energy performance certificate (EPC)'), slug: ['epc', 'epc'] },
  { key: 'renovation', title: t('Renovatieplicht', 'Renovation obligation'), slug: ['renovatieplicht', 'renovation-obligation'] },
  { key: 'asbestos', title: t('Asbestattest', 'Asbestos certificate'), slug: ['asbestattest', 'asbestos-certificate'] },
  { key: 'soil', title: t('Bodemattest', 'Soil certificate'), slug: ['bodemattest', 'soil-certificate'] },
  { key: 'flood', title: t('Overstromingsgevoeligheid', 'Flood risk'), slug: ['overstromingsrisico', 'flood-risk'] },
  { key: 'permits', title: t('Vergunningen', 'Permits'), slug: ['vergunningen', 'permits'] },
  { key: 'conformity', title: t('Conformiteitsattest', 'Conformity certificate'), slug: ['conformiteitsattest', 'conformity-certificate'] },
  { key: 'installations', title: t('Installaties', 'Installations'), slug: ['installaties', 'installations'] },
  { key: 'documents', title: t('Documenten', 'Documents'), slug: ['documenten', 'documents'] },
];

const guideUrl = (section) => (EN ? `/en/what-it-contains/${section.slug[1]}` : `/wat-staat-erin/${section.slug[0]}`);

const region = document.getElementById('passport');
const announcer = document.getElementById('passport-announcer');
const account = document.getElementById('passport-account');
const reminders = document.getElementById('passport-reminders');
const reminderList = document.getElementById('reminders-list');
const accessLog = document.getElementById('passport-access-log');

let passportRequest = null;

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers: elements are built node by node; strings only ever become text nodes.

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'className') {
      node.className = value;
    } else if (name === 'onClick') {
      node.addEventListener('click', value);
    } else if (name === 'onChange') {
      node.addEventListener('change', value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let announcement = 0;

function announce(message) {
  // Clearing first makes a repeated message be announced again; only the latest message is ever written.
  window.clearTimeout(announcement);
  announcer.textContent = '';
  announcement = window.setTimeout(() => {
    announcer.textContent = message;
  }, 50);
}

function setBusy(node, busy) {
  node.setAttribute('aria-busy', busy ? 'true' : 'false');
}

function setState(state) {
  region.dataset.state = state;
}

function loading(text, cards = 2) {
  return el('div', { className: 'passport__loading' },
    el('p', { className: 'loading-text' }, text),
    el('div', { className: 'skeleton', 'aria-hidden': 'true' },
      Array.from({ length: cards }, () => el('div', { className: 'skeleton__card' }))));
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

function formatNumber(value) {
  return typeof value === 'number' && Number.isFinite(value) ? numberFormat.format(value) : null;
}

/** "2019-03-01" → "1 maart 2019"; the date is a calendar day, so it is read and written in UTC. */
function formatDate(iso) {
  const match = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  if (!match) {
    return null;
  }
  const [, year, month, day] = match;
  return dateFormat.format(new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))));
}

function unknown() {
  return el('span', { className: 'muted' }, t('onbekend', 'unknown'));
}

function dateElement(iso) {
  const text = formatDate(iso);
  return text ? el('time', { datetime: iso.slice(0, 10) }, text) : unknown();
}

function yesNo(value) {
  if (value === true) {
    return t('ja', 'yes');
  }
  return value === false ? t('nee', 'no') : unknown();
}

function rightText(right) {
  return RIGHTS[right] ?? t('houder van een zakelijk recht', 'holder of a real right');
}

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP date. */
function parseRetryAfter(value) {
  if (!value) {
    return null;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim());
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function retryText(seconds) {
  if (seconds === null) {
    return t('Probeer het over enkele ogenblikken opnieuw.', 'Please try again in a few moments.');
  }
  if (seconds <= 1) {
    return t('Probeer het zo meteen opnieuw.', 'Please try again in a moment.');
  }
  if (seconds < 90) {
    return t(`Probeer het over ${seconds} seconden opnieuw.`, `Please try again in ${seconds} seconds.`);
  }
  const minutes = Math.ceil(seconds / 60);
  return t(`Probeer het over ${minutes} minuten opnieuw.`, `Please try again in ${minutes} minutes.`);
}

/** How old stale data is, from whichever the Api gives: an age in seconds or the moment it was fetched. */
function staleText(section) {
  const seconds = typeof section.ageSeconds === 'number' ? section.ageSeconds
    : typeof section.age === 'number' ? section.age
      : null;
  const since = section.asOf ?? section.fetchedAt ?? section.staleSince ?? null;
  if (seconds !== null && Number.isFinite(seconds) && seconds >= 0) {
    const hours = Math.floor(seconds / 3600);
    if (hours >= 48) {
      const days = Math.floor(hours / 24);
      return t(`Mogelijk niet actueel: deze gegevens zijn ${days} dagen oud.`, `Possibly out of date: this data is ${days} days old.`);
    }
    if (hours >= 1) {
      return t(`Mogelijk niet actueel: deze gegevens zijn ${hours} uur oud.`, `Possibly out of date: this data is ${hours} hours old.`);
    }
    const minutes = Math.max(1, Math.round(seconds / 60));
    return t(`Mogelijk niet actueel: deze gegevens zijn ${minutes} minuten oud.`, `Possibly out of date: this data is ${minutes} minutes old.`);
  }
  const date = formatDate(since);
  return date
    ? t(`Mogelijk niet actueel: gegevens van ${date}.`, `Possibly out of date: data of ${date}.`)
    : t('Mogelijk niet actueel: de bron kon niet geraadpleegd worden.', 'Possibly out of date: the source could not be reached.');
}

// ---------------------------------------------------------------------------------------------------------------
// Api

async function getJson(url, signal) {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
    signal,
  });
  const result = {
    status: response.status,
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
    body: null,
  };
  if (response.ok) {
    // Anything but JSON (a proxy's error page, say) counts as an unexpected answer.
    result.body = await response.json().catch(() => {
      result.status = 0;
      return null;
    });
  }
  return result;
}

/**
 * A state-changing call: the session cookie plus the anti-CSRF header the Api requires of every cookie-authenticated
 * unsafe request (a cross-site form cannot send it). `json` is sent as JSON, `body` as is (an uploaded file).
 * A problem answer (RFC 9457) comes back in `problem`, so that callers branch on its stable `type`.
 */
async function send(method, url, { json, body, signal } = {}) {
  const headers = { Accept: 'application/json', 'X-WoningPas-Csrf': '1' };
  let payload = body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  }
  const response = await fetch(url, { method, credentials: 'same-origin', headers, body: payload, signal });
  const result = {
    status: response.status,
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
    body: null,
    problem: null,
  };
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    const parsed = await response.json().catch(() => null);
    if (response.ok) {
      result.body = parsed;
    } else {
      result.problem = parsed;
    }
  }
  return result;
}

/** The last segment of a problem's stable type: "https://…/problems/upload-malware" → "upload-malware". */
function problemKind(problem) {
  const type = typeof problem?.type === 'string' ? problem.type : '';
  return type.slice(type.lastIndexOf('/') + 1);
}

/** What to tell the user about a failed call that has no more specific message. */
function failureText(result) {
  switch (result?.status) {
    case 0:
    case undefined:
      return t('WoningPas is niet bereikbaar. Controleer uw internetverbinding en probeer het opnieuw.',
        'WoningPas cannot be reached. Check your internet connection and try again.');
    case 401:
      return t('Uw sessie is verlopen. Meld u opnieuw aan.', 'Your session has expired. Please sign in again.');
    case 404:
      return t('Dit werd niet gevonden. Misschien hebt u geen recht meer op deze woning.',
        'This was not found. Perhaps you no longer hold a right on this home.');
    case 429:
    case 503:
      return t('WoningPas kan uw aanvraag nu even niet verwerken.', 'WoningPas cannot handle your request right now.')
        + ` ${retryText(result.retryAfter)}`;
    default:
      return t('Er ging iets mis. Probeer het later opnieuw.', 'Something went wrong. Please try again later.');
  }
}

function formatDateTime(iso) {
  const date = typeof iso === 'string' ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? dateTimeFormat.format(date) : null;
}

function dateTimeElement(iso) {
  const text = formatDateTime(iso);
  return text ? el('time', { datetime: iso }, text) : unknown();
}

/** Today in Belgium as yyyy-MM-dd: the Api decides "today" by the Belgian calendar too. */
function belgianToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

// ---------------------------------------------------------------------------------------------------------------
// Feature modules. Each is a fingerprinted file the page names in a <link rel="modulepreload" data-module>; it is
// imported by that exact URL, so the CDN may keep it for a year like every other asset. A static import would name
// an unfingerprinted URL, so the modules get this module's helpers handed to them instead. A module that fails to load
// takes only its own feature away.

const UI = {
  EN, t, el, announce, getJson, send, problemKind, failureText, retryText, formatDate, dateElement, formatDateTime,
  dateTimeElement, belgianToday, statusElement: (status) => statusElement(status), sections: () => SECTIONS,
};

const features = Promise.all([...document.querySelectorAll('link[rel="modulepreload"][data-module]')].map(async (link) => {
  try {
    const module = await import(link.href);
    return [link.dataset.module, module.create(UI)];
  } catch {
    return [link.dataset.module, null];
  }
})).then(Object.fromEntries);

// ---------------------------------------------------------------------------------------------------------------
// Messages

function notice(kind, title, text, ...actions) {
  return el('section', { className: `notice notice--${kind}`, 'aria-labelledby': 'notice-title', tabindex: '-1' },
    el('h2', { id: 'notice-title' }, title),
    el('p', {}, text),
    actions.length > 0 ? el('div', { className: 'notice__actions' }, actions) : null);
}

function retryButton(onRetry) {
  return el('button', { type: 'button', className: 'button', 'data-testid': 'retry', onClick: onRetry },
    t('Opnieuw proberen', 'Try again'));
}

/** The notice for an answer that is not a success. */
function problemNotice(result, onRetry) {
  switch (result.status) {
    case 404: {
      const text = t('Deze woning werd niet gevonden.', 'This home was not found.');
      return { state: 'not-found', message: text, node: notice('error', t('Niet gevonden', 'Not found'), text) };
    }
    case 429:
    case 503: {
      const text = t('WoningPas kan uw aanvraag nu even niet verwerken.', 'WoningPas cannot handle your request right now.')
        + ` ${retryText(result.retryAfter)}`;
      const node = notice('warning', t('Even geduld', 'Please wait'), text, retryButton(onRetry));
      node.dataset.testid = 'busy';
      if (result.retryAfter !== null) {
        node.dataset.retryAfter = String(result.retryAfter);
      }
      return { state: 'unavailable', message: text, node };
    }
    default: {
      const text = t('Er ging iets mis bij het ophalen van uw gegevens. Probeer het later opnieuw.',
        'Something went wrong while fetching your data. Please try again later.');
      return { state: 'error', message: text, node: notice('error', t('Er ging iets mis', 'Something went wrong'), text, retryButton(onRetry)) };
    }
  }
}

function networkNotice(onRetry) {
  const text = t('WoningPas is niet bereikbaar. Controleer uw internetverbinding en probeer het opnieuw.',
    'WoningPas cannot be reached. Check your internet connection and try again.');
  return { state: 'offline', message: text, node: notice('error', t('Geen verbinding', 'No connection'), text, retryButton(onRetry)) };
}

function showSignIn() {
  account.replaceChildren();
  reminders.hidden = true;
  accessLog.hidden = true;
  region.replaceChildren(notice('info', t('Aanmelden', 'Sign in'), t('Meld u aan om uw woningpas te zien.', 'Sign in to see your passport.'),
    el('a', { className: 'button button--primary', href: SIGN_IN_URL, 'data-testid': 'sign-in' }, t('Aanmelden', 'Sign in')),
    el('a', { className: 'button', href: t('/hulp-bij-aanmelden', '/en/sign-in-help') }, t('Hulp bij aanmelden', 'Help with signing in'))));
  setState('signed-out');
  setBusy(region, false);
  announce(t('U bent niet aangemeld. Meld u aan om uw woningpas te zien.', 'You are not signed in. Sign in to see your passport.'));
}

function showProblem(container, problem, focus) {
  container.replaceChildren(problem.node);
  setState(problem.state);
  setBusy(container, false);
  announce(problem.message);
  if (focus) {
    problem.node.focus();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Signing out

function showSignOut() {
  account.replaceChildren(el('button', {
    type: 'button',
    className: 'button',
    'data-testid': 'sign-out',
    onClick: (event) => signOut(event.currentTarget),
  }, t('Afmelden', 'Sign out')));
}

async function signOut(button) {
  button.disabled = true;
  announce(t('U wordt afgemeld…', 'Signing you out…'));
  try {
    const response = await fetch(LOGOUT_URL, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-WoningPas-Csrf': '1' },
    });
    if (!response.ok && response.status !== 401) {
      throw new Error(`Sign-out answered ${response.status}.`);
    }
    // The session is gone here; the identity provider ends its own and sends the browser back to the site.
    const answer = response.status === 200 ? await response.json() : {};
    if (answer.endSessionUrl) {
      window.location.assign(answer.endSessionUrl);
    } else {
      window.location.reload();
    }
  } catch {
    button.disabled = false;
    announce(t('Afmelden is niet gelukt. Probeer het opnieuw.', 'Signing out failed. Please try again.'));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dwellings, reminders and passport

async function start(focus = false) {
  passportRequest?.abort();
  setState('loading');
  setBusy(region, true);
  region.replaceChildren(loading(t('Laden…', 'Loading…')));

  let result;
  try {
    result = await getJson(DWELLINGS_URL);
  } catch {
    showProblem(region, networkNotice(() => start(true)), focus);
    return;
  }

  if (result.status === 401) {
    showSignIn();
    return;
  }
  if (result.status !== 200 || !Array.isArray(result.body?.dwellings)) {
    showProblem(region, problemNotice(result, () => start(true)), focus);
    return;
  }

  showSignOut();
  showDwellings(result.body.dwellings);
  loadReminders();
  (await features).accessLog?.mount(result.body.dwellings);
}

async function loadReminders() {
  let result;
  try {
    result = await getJson(REMINDERS_URL);
  } catch {
    result = { status: 0, body: null };
  }
  if (result.status === 401) {
    return;
  }
  reminders.hidden = false;
  if (result.status !== 200 || !Array.isArray(result.body?.reminders)) {
    reminderList.replaceChildren(el('p', { className: 'muted', 'data-testid': 'reminders-error' },
      t('Uw herinneringen konden nu niet geladen worden.', 'Your reminders could not be loaded right now.')));
    return;
  }
  const items = result.body.reminders;
  if (items.length === 0) {
    reminderList.replaceChildren(el('p', { 'data-testid': 'reminders-none' },
      t('Er verloopt de komende 90 dagen niets.', 'Nothing expires in the next 90 days.')));
    return;
  }
  reminderList.replaceChildren(el('ul', { className: 'reminder-list', 'data-testid': 'reminders' },
    items.map((item) => {
      const section = SECTIONS.find((s) => s.key === item.section);
      const days = typeof item.daysLeft === 'number' ? item.daysLeft : null;
      const when = days === null ? ''
        : days < 0 ? t(` (${-days} dagen geleden)`, ` (${-days} days ago)`)
          : t(` (nog ${days} dagen)`, ` (${days} days left)`);
      return el('li', { className: 'reminder', 'data-section': item.section ?? '' },
        statusElement(item.status),
        ' ',
        el('span', { className: 'reminder__what' }, section?.title ?? item.section ?? ''),
        ` – ${item.address ?? ''}: `,
        days !== null && days < 0 ? t('verlopen op ', 'expired on ') : t('geldig tot ', 'valid until '),
        dateElement(item.validUntil),
        when);
    })));
}

function showDwellings(dwellings) {
  setBusy(region, false);
  if (dwellings.length === 0) {
    const text = t('Er is geen woning gekend waarop u vandaag een zakelijk recht hebt.',
      'There is no home on which you hold a real right today.');
    region.replaceChildren(notice('info', t('Geen woningen', 'No homes'), text));
    setState('empty');
    announce(text);
    return;
  }

  const details = el('div', { id: 'passport-details', className: 'dwelling', 'aria-busy': 'true' });
  const options = dwellings.map((dwelling, index) => el('label', { className: 'picker__option' },
    el('input', {
      type: 'radio',
      name: 'dwelling',
      value: dwelling.id,
      'data-dwelling-id': dwelling.id,
      checked: index === 0,
      'aria-controls': 'passport-details',
      onChange: (event) => {
        if (event.currentTarget.checked) {
          loadPassport(dwelling, details, false);
        }
      },
    }),
    el('span', { className: 'picker__text' },
      el('span', { className: 'picker__address' }, dwelling.address ?? t('Woning zonder adres', 'Home without an address')),
      el('span', { className: 'picker__right' }, `(${rightText(dwelling.right)})`))));

  const picker = el('fieldset', { className: 'picker', 'data-testid': 'dwelling-picker' },
    el('legend', {}, dwellings.length === 1 ? t('Uw woning', 'Your home') : t(`Kies een woning (${dwellings.length})`, `Choose a home (${dwellings.length})`)),
    el('div', { className: 'picker__options' }, options));

  region.replaceChildren(picker, details);
  loadPassport(dwellings[0], details, false);
}

async function loadPassport(dwelling, details, focus) {
  passportRequest?.abort();
  const request = new AbortController();
  passportRequest = request;
  const name = dwelling.address ?? t('uw woning', 'your home');

  setState('loading');
  setBusy(details, true);
  details.replaceChildren(loading(t('Woningpas laden…', 'Loading the passport…'), 4));
  announce(t(`De woningpas van ${name} wordt geladen…`, `Loading the passport of ${name}…`));

  const retry = () => loadPassport(dwelling, details, true);
  let result;
  try {
    result = await getJson(passportUrl(dwelling.id), request.signal);
  } catch (error) {
    if (error?.name !== 'AbortError') {
      showProblem(details, networkNotice(retry), focus);
    }
    return;
  }
  if (request.signal.aborted) {
    return;
  }

  if (result.status === 401) {
    showSignIn();
    return;
  }
  if (result.status !== 200 || result.body === null) {
    showProblem(details, problemNotice(result, retry), focus);
    return;
  }

  const passport = result.body;
  const sections = passport.sections ?? {};
  const title = passport.address?.label ?? name;
  const cards = el('div', { className: 'cards', 'data-testid': 'cards' },
    addressCard(passport),
    SECTIONS.map((section) => sectionCard(section, sections[section.key])));
  details.replaceChildren(el('h2', { className: 'dwelling__title' }, title), cards);
  setState('ready');
  setBusy(details, false);
  announce(t(`De woningpas van ${title} is geladen.`, `The passport of ${title} has loaded.`));

  // Documents, reports and sharing add to what is shown; they come after the data, never in its way.
  const loaded = await features;
  if (passportRequest !== request) {
    return;
  }
  loaded.documents?.mount(dwelling, cards.querySelector('[data-section="documents"]'), sections.documents);
  loaded.reports?.mount(dwelling, cards);
  loaded.sharing?.mount(dwelling, details);
}

// ---------------------------------------------------------------------------------------------------------------
// Cards

function fact(term, ...description) {
  return [el('dt', {}, term), el('dd', {}, description)];
}

function card(id, title, attributes, ...content) {
  return el('section', { className: 'card', 'aria-labelledby': id, ...attributes },
    el('h3', { id }, title),
    content);
}

function addressCard(passport) {
  const address = passport.address ?? {};
  const street = [address.street, address.houseNumber].filter(Boolean).join(' ');
  const box = address.boxNumber ? t(` bus ${address.boxNumber}`, ` box ${address.boxNumber}`) : '';
  const town = [address.postalCode, address.municipality].filter(Boolean).join(' ');
  const capaKeys = Array.isArray(passport.building?.capaKeys) ? passport.building.capaKeys : [];
  const parcels = capaKeys.length > 0
    ? capaKeys.map((key, index) => [index > 0 ? ', ' : null, el('span', { className: 'capakey' }, key)])
    : [unknown()];
  const year = passport.building?.constructionYear;
  return card('card-address', t('Adres en perceel', 'Address and parcel'), { 'data-section': 'address' },
    el('dl', { className: 'facts' },
      fact(t('Straat', 'Street'), `${street}${box}` || unknown()),
      fact(t('Gemeente', 'Municipality'), town || unknown()),
      fact(capaKeys.length > 1 ? t('Kadastrale percelen', 'Cadastral parcels') : t('Kadastraal perceel', 'Cadastral parcel'), parcels),
      fact(t('Bouwjaar', 'Year built'), typeof year === 'number' ? String(year) : unknown())));
}

function statusElement(status) {
  const known = Object.hasOwn(STATUSES, status);
  return el('span', { className: `status status--${known ? status : 'unknown'}`, 'data-status': status ?? '' },
    known ? STATUSES[status] : t('onbekend', 'unknown'));
}

function sourceLine(source) {
  if (!source || typeof source !== 'object') {
    return null;
  }
  const agency = AGENCIES[source.agency] ?? source.agency;
  return el('p', { className: 'card__source' },
    t('Bron: ', 'Source: '), agency ?? '', source.reference ? ` (${source.reference})` : '',
    source.updatedAt ? [t(', bijgewerkt op ', ', updated on '), dateElement(source.updatedAt)] : null);
}

/**
 * One section. A missing or malformed section and one the Api marks unavailable get the same honest card; stale data
 * is shown with a warning and its age. Sections that fail to render never take the others down.
 */
function sectionCard(section, data) {
  const id = `card-${section.key}`;
  const more = el('a', { className: 'card__more', href: guideUrl(section) }, t('Meer over: ', 'More about: '), section.title);
  if (!data || typeof data !== 'object' || data.status === 'unavailable') {
    return card(id, section.title, { 'data-section': section.key, 'data-state': 'unavailable' },
      el('p', {}, statusElement('unavailable')),
      el('p', { className: 'muted' }, t('Dit onderdeel kan nu niet getoond worden. Probeer het later opnieuw.',
        'This section cannot be shown right now. Please try again later.')),
      more);
  }

  let body;
  try {
    body = RENDERERS[section.key](data);
  } catch {
    body = el('p', { className: 'muted' }, t('Dit onderdeel kan niet getoond worden.', 'This section cannot be shown.'));
  }
  const stale = data.stale === true;
  return card(id, section.title, { 'data-section': section.key, 'data-state': stale ? 'stale' : 'current' },
    el('p', { className: 'card__status' }, statusElement(data.status),
      data.validUntil ? [' ', t('geldig tot ', 'valid until '), dateElement(data.validUntil)] : null),
    stale ? el('p', { className: 'card__stale', 'data-testid': 'stale' }, staleText(data)) : null,
    body,
    sourceLine(data.source),
    more);
}

function list(items, render, empty) {
  return Array.isArray(items) && items.length > 0
    ? el('ul', { className: 'card__list' }, items.map((item) => el('li', {}, render(item))))
    : el('p', { className: 'muted' }, empty);
}

const RENDERERS = {
  epc(epc) {
    if (!epc.label) {
      return el('p', { 'data-testid': 'epc-none' }, t('Geen energieprestatiecertificaat gekend.', 'No energy performance certificate is known.'));
    }
    const energy = formatNumber(epc.primaryEnergyUse);
    return el('dl', { className: 'facts' },
      fact(t('Energielabel', 'Energy label'),
        el('span', { className: `epc-badge ${EPC_CLASSES[epc.label] ?? 'epc-unknown'}`, 'data-epc-label': epc.label }, epc.label)),
      fact(t('Primair energieverbruik', 'Primary energy use'), energy ? t(`${energy} kWh/m²·jaar`, `${energy} kWh/m²·year`) : unknown()),
      fact(t('Uitgereikt op', 'Issued on'), dateElement(epc.issuedOn)));
  },
  renovation(renovation) {
    const obligation = OBLIGATIONS[renovation.obligation] ?? t('onbekend', 'unknown');
    const applies = renovation.obligation && renovation.obligation !== 'notApplicable';
    return el('dl', { className: 'facts' },
      fact(t('Renovatieplicht', 'Obligation'), el('span', { 'data-obligation': renovation.obligation ?? '' }, obligation)),
      applies ? fact(t('Uiterste datum', 'Deadline'), el('span', { 'data-testid': 'renovation-deadline' }, dateElement(renovation.deadline))) : null,
      renovation.deedSignedOn ? fact(t('Akte getekend op', 'Deed signed on'), dateElement(renovation.deedSignedOn)) : null,
      renovation.labelAtDeed ? fact(t('Label bij de akte', 'Label at the deed'), renovation.labelAtDeed) : null,
      renovation.currentLabel ? fact(t('Huidig label', 'Current label'), renovation.currentLabel) : null,
      applies ? fact(t('Doel', 'Target'), t('label D of beter', 'label D or better')) : null);
  },
  asbestos(asbestos) {
    return el('dl', { className: 'facts' },
      fact(t('Uitgereikt op', 'Issued on'), dateElement(asbestos.issuedOn)),
      fact(t('Materialen met hoog risico', 'High-risk materials'), yesNo(asbestos.hasHighRiskMaterials)),
      fact(t('Verplicht bij verkoop', 'Required at sale'), yesNo(asbestos.requiredAtSale)));
  },
  soil(soil) {
    return list(soil.certificates, (c) => [
      el('span', { className: 'capakey' }, c.capaKey), ': ',
      t('uitgereikt op ', 'issued on '), dateElement(c.issuedOn), ', ',
      c.inLandInformationRegister
        ? t('in het grondeninformatieregister', 'in the land-information register')
        : t('niet in het grondeninformatieregister', 'not in the land-information register'),
    ], t('Geen bodemattest gekend.', 'No soil certificate is known.'));
  },
  flood(flood) {
    return list(flood.scores, (s) => [
      el('span', { className: 'capakey' }, s.capaKey), ': ',
      t('P-score ', 'P-score '), s.parcelScore ?? '?', ', ',
      t('G-score ', 'G-score '), s.buildingScore ?? t('onbekend', 'unknown'),
    ], t('Geen overstromingsscores gekend.', 'No flood scores are known.'));
  },
  permits(permits) {
    return list(permits.permits, (p) => [
      el('strong', {}, PERMIT_KINDS[p.kind] ?? p.kind ?? ''), ': ', p.description ?? '', ' – ',
      DECISIONS[p.decision] ?? p.decision ?? '',
      p.decidedOn ? [t(' op ', ' on '), dateElement(p.decidedOn)] : [t(', aangevraagd op ', ', applied for on '), dateElement(p.submittedOn)],
    ], t('Geen vergunningen gekend.', 'No permits are known.'));
  },
  conformity(conformity) {
    return el('dl', { className: 'facts' },
      fact(t('Uitgereikt op', 'Issued on'), dateElement(conformity.issuedOn)),
      fact(t('Na onderzoek met gebreken', 'After an investigation with defects'), yesNo(conformity.afterInvestigationWithDefects)));
  },
  installations(installations) {
    return list(installations.installations, (i) => [
      el('strong', {}, INSTALLATIONS[i.kind] ?? i.kind ?? ''), i.description ? `: ${i.description}` : '', ' ',
      statusElement(i.status),
      i.nextInspectionDue ? [t(', volgende keuring ', ', next inspection '), dateElement(i.nextInspectionDue)] : null,
    ], t('Geen installaties gekend.', 'No installations are known.'));
  },
  documents(documents) {
    return el('div', { 'data-role': 'document-list' },
      list(documents.documents, (d) => [d.title ?? d.fileName ?? '', ' (', dateElement(d.uploadedAt), ')'],
        t('U voegde nog geen documenten toe.', 'You have not added any documents yet.')));
  },
};

start();
