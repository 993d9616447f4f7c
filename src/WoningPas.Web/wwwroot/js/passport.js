// WoningPas passport shell. The page itself is the same for every visitor (the CDN caches it); this module fetches
// the personal parts from the on-premise Api, served on the same origin under /api and /account, with the session
// cookie. Data is rendered with textContent only, never as HTML.

const SIGN_IN_URL = '/account/login?returnUrl=%2Fwoningpas';
const LOGOUT_URL = '/account/logout';
const DWELLINGS_URL = '/api/dwellings';
const passportUrl = (id) => `/api/dwellings/${encodeURIComponent(id)}/passport`;

const LOCALE = 'nl-BE';
const numberFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const RIGHTS = {
  owner: 'eigenaar',
  coOwner: 'mede-eigenaar',
  usufruct: 'vruchtgebruiker',
  usufructuary: 'vruchtgebruiker',
  longLease: 'erfpachter',
  longLeaseHolder: 'erfpachter',
};

const STATUSES = {
  valid: 'geldig',
  expiring: 'verloopt binnenkort',
  expired: 'verlopen',
  missing: 'ontbreekt',
  notRequired: 'niet vereist',
  unavailable: 'tijdelijk niet beschikbaar',
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

const region = document.getElementById('passport');
const announcer = document.getElementById('passport-announcer');
const account = document.getElementById('passport-account');

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

function loading(text) {
  return el('div', { className: 'passport__loading' },
    el('p', { className: 'loading-text' }, text),
    el('div', { className: 'skeleton', 'aria-hidden': 'true' },
      el('div', { className: 'skeleton__card' }),
      el('div', { className: 'skeleton__card' })));
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting (nl-BE)

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

function dateElement(iso) {
  const text = formatDate(iso);
  return text ? el('time', { datetime: iso.slice(0, 10) }, text) : el('span', { className: 'muted' }, 'onbekend');
}

function rightText(right) {
  return RIGHTS[right] ?? 'houder van een zakelijk recht';
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
    return 'Probeer het over enkele ogenblikken opnieuw.';
  }
  if (seconds <= 1) {
    return 'Probeer het zo meteen opnieuw.';
  }
  if (seconds < 90) {
    return `Probeer het over ${seconds} seconden opnieuw.`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `Probeer het over ${minutes} minuten opnieuw.`;
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

// ---------------------------------------------------------------------------------------------------------------
// Messages

function notice(kind, title, text, ...actions) {
  return el('section', { className: `notice notice--${kind}`, 'aria-labelledby': 'notice-title', tabindex: '-1' },
    el('h2', { id: 'notice-title' }, title),
    el('p', {}, text),
    actions.length > 0 ? el('div', { className: 'notice__actions' }, actions) : null);
}

function retryButton(onRetry) {
  return el('button', { type: 'button', className: 'button', 'data-testid': 'retry', onClick: onRetry }, 'Opnieuw proberen');
}

/** The notice for an answer that is not a success; null when the caller must handle the status itself. */
function problemNotice(result, onRetry) {
  switch (result.status) {
    case 404:
      return {
        state: 'not-found',
        message: 'Deze woning werd niet gevonden.',
        node: notice('error', 'Niet gevonden', 'Deze woning werd niet gevonden.'),
      };
    case 429:
    case 503: {
      const text = `WoningPas kan uw aanvraag nu even niet verwerken. ${retryText(result.retryAfter)}`;
      return { state: 'unavailable', message: text, node: notice('error', 'Even geduld', text, retryButton(onRetry)) };
    }
    default: {
      const text = 'Er ging iets mis bij het ophalen van uw gegevens. Probeer het later opnieuw.';
      return { state: 'error', message: text, node: notice('error', 'Er ging iets mis', text, retryButton(onRetry)) };
    }
  }
}

function networkNotice(onRetry) {
  const text = 'WoningPas is niet bereikbaar. Controleer uw internetverbinding en probeer het opnieuw.';
  return { state: 'offline', message: text, node: notice('error', 'Geen verbinding', text, retryButton(onRetry)) };
}

function showSignIn() {
  account.replaceChildren();
  region.replaceChildren(notice('info', 'Aanmelden', 'Meld u aan om uw woningpas te zien.',
    el('a', { className: 'button button--primary', href: SIGN_IN_URL, 'data-testid': 'sign-in' }, 'Aanmelden')));
  setState('signed-out');
  setBusy(region, false);
  announce('U bent niet aangemeld. Meld u aan om uw woningpas te zien.');
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
  }, 'Afmelden'));
}

async function signOut(button) {
  button.disabled = true;
  announce('U wordt afgemeld…');
  try {
    const response = await fetch(LOGOUT_URL, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-WoningPas-Csrf': '1' },
    });
    if (!response.ok && response.status !== 401) {
      throw new Error(`Sign-out answered ${response.status}.`);
    }
    window.location.reload();
  } catch {
    button.disabled = false;
    announce('Afmelden is niet gelukt. Probeer het opnieuw.');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dwellings and passport

async function start(focus = false) {
  passportRequest?.abort();
  setState('loading');
  setBusy(region, true);
  region.replaceChildren(loading('Laden…'));
  announce('Uw woningen worden geladen…');

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
}

function showDwellings(dwellings) {
  setBusy(region, false);
  if (dwellings.length === 0) {
    region.replaceChildren(notice('info', 'Geen woningen',
      'Er is geen woning gekend waarop u vandaag een zakelijk recht hebt.'));
    setState('empty');
    announce('Er is geen woning gekend waarop u een zakelijk recht hebt.');
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
      el('span', { className: 'picker__address' }, dwelling.address ?? 'Woning zonder adres'),
      el('span', { className: 'picker__right' }, `(${rightText(dwelling.right)})`))));

  const picker = el('fieldset', { className: 'picker', 'data-testid': 'dwelling-picker' },
    el('legend', {}, dwellings.length === 1 ? 'Uw woning' : `Kies een woning (${dwellings.length})`),
    el('div', { className: 'picker__options' }, options));

  region.replaceChildren(picker, details);
  loadPassport(dwellings[0], details, false);
}

async function loadPassport(dwelling, details, focus) {
  passportRequest?.abort();
  const request = new AbortController();
  passportRequest = request;

  setState('loading');
  setBusy(details, true);
  details.replaceChildren(loading('Woningpas laden…'));
  announce(`De woningpas van ${dwelling.address ?? 'uw woning'} wordt geladen…`);

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

  const passport = normalise(result.body);
  details.replaceChildren(
    el('h2', { className: 'dwelling__title' }, passport.address?.label ?? dwelling.address ?? 'Uw woning'),
    el('div', { className: 'cards' }, addressCard(passport), epcCard(passport.epc)));
  setState('ready');
  setBusy(details, false);
  announce(`De woningpas van ${passport.address?.label ?? dwelling.address ?? 'uw woning'} is geladen.`);
}

/**
 * Accepts the passport with its sections at the top ({ parcel, epc }) and as the Api also writes it
 * ({ building: { capaKeys }, sections: { epc } }), where an unknown certificate is a section without a label.
 */
function normalise(body) {
  const capaKeys = body.parcel?.capaKey
    ? [body.parcel.capaKey]
    : Array.isArray(body.building?.capaKeys) ? body.building.capaKeys : [];
  const epc = 'epc' in body ? body.epc : (body.sections?.epc ?? null);
  return { address: body.address ?? null, capaKeys, epc };
}

function fact(term, ...description) {
  return [el('dt', {}, term), el('dd', {}, description)];
}

function card(id, title, ...content) {
  return el('section', { className: 'card', 'aria-labelledby': id },
    el('h3', { id }, title),
    content);
}

function addressCard(passport) {
  const address = passport.address ?? {};
  const street = [address.street, address.houseNumber].filter(Boolean).join(' ');
  const box = address.boxNumber ? ` bus ${address.boxNumber}` : '';
  const town = [address.postalCode, address.municipality].filter(Boolean).join(' ');
  const parcels = passport.capaKeys.length > 0
    ? passport.capaKeys.map((key, index) => [index > 0 ? ', ' : null, el('span', { className: 'capakey' }, key)])
    : [el('span', { className: 'muted' }, 'onbekend')];
  return card('card-address', 'Adres en perceel',
    el('dl', { className: 'facts' },
      fact('Straat', `${street}${box}` || 'onbekend'),
      fact('Gemeente', town || 'onbekend'),
      fact(passport.capaKeys.length > 1 ? 'Kadastrale percelen' : 'Kadastraal perceel', parcels)));
}

function statusElement(status) {
  const known = Object.hasOwn(STATUSES, status);
  return el('span', { className: `status status--${known ? status : 'unknown'}`, 'data-epc-status': status ?? '' },
    known ? STATUSES[status] : 'onbekend');
}

function epcCard(epc) {
  const title = 'Energieprestatiecertificaat (EPC)';
  if (!epc || !epc.label) {
    return card('card-epc', title,
      el('p', { 'data-testid': 'epc-none' }, 'Geen energieprestatiecertificaat gekend.'),
      epc?.status ? el('dl', { className: 'facts' }, fact('Status', statusElement(epc.status))) : null);
  }

  const energy = formatNumber(epc.primaryEnergyUse);
  return card('card-epc', title,
    el('dl', { className: 'facts' },
      fact('Energielabel',
        el('span', { className: `epc-badge ${EPC_CLASSES[epc.label] ?? 'epc-unknown'}`, 'data-epc-label': epc.label }, epc.label)),
      fact('Primair energieverbruik', energy ? `${energy} kWh/m²·jaar` : el('span', { className: 'muted' }, 'onbekend')),
      fact('Uitgereikt op', dateElement(epc.issuedOn)),
      fact('Geldig tot', dateElement(epc.validUntil)),
      fact('Status', statusElement(epc.status))));
}

start();
