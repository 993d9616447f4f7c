// The page a share link opens: /woningpas/gedeeld#share=TOKEN. The token stays in the fragment (browsers never send
// it to a server, so it reaches no log) and goes to the Api only in the X-WoningPas-Share header, without cookies.
// Data is rendered with textContent only, never as HTML.

const SHARED_URL = '/api/shared/passport';
const LOCALE = 'nl-BE';
const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const SECTIONS = {
  epc: 'Energieprestatiecertificaat (EPC)',
  renovation: 'Renovatieverplichting',
  asbestos: 'Asbestattest',
  soil: 'Bodemattest',
  flood: 'Overstromingsrisico',
  permits: 'Vergunningen',
  conformity: 'Conformiteitsattest',
  installations: 'Installaties',
  documents: 'Documenten',
};

const STATUSES = {
  valid: 'geldig',
  expiring: 'verloopt binnenkort',
  expired: 'verlopen',
  missing: 'ontbreekt',
  notRequired: 'niet vereist',
};

const FIELDS = {
  label: 'Label',
  primaryEnergyUse: 'Primair energieverbruik (kWh/m² per jaar)',
  issuedOn: 'Uitgereikt op',
  validUntil: 'Geldig tot',
  deadline: 'Uiterlijk',
  deedSignedOn: 'Akte verleden op',
  hasHighRiskMaterials: 'Materialen met hoog risico',
  requiredAtSale: 'Vereist bij verkoop',
  afterInvestigationWithDefects: 'Na onderzoek met gebreken',
};

const region = document.getElementById('shared');
const announcer = document.getElementById('shared-announcer');

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'className') {
      node.className = value;
    } else {
      node.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function text(value) {
  if (typeof value === 'boolean') {
    return value ? 'ja' : 'nee';
  }
  const date = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return date ? dateFormat.format(new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])))) : String(value);
}

function sectionCard(name, section) {
  const facts = Object.entries(FIELDS)
    .filter(([key]) => section[key] !== null && section[key] !== undefined)
    .map(([key, label]) => [el('dt', {}, label), el('dd', {}, text(section[key]))]);
  const items = Object.values(section).find(Array.isArray);
  return el('section', { className: 'card', 'aria-labelledby': `shared-${name}` },
    el('h3', { id: `shared-${name}` }, SECTIONS[name] ?? name),
    el('p', {}, el('span', { className: `status status--${section.status ?? 'unknown'}` }, STATUSES[section.status] ?? 'onbekend')),
    facts.length > 0 ? el('dl', {}, facts) : null,
    items ? el('p', {}, `${items.length} ${items.length === 1 ? 'item' : 'items'}`) : null);
}

function show(state, ...nodes) {
  region.replaceChildren(...nodes);
  region.dataset.state = state;
  region.setAttribute('aria-busy', 'false');
}

function notice(title, message) {
  announcer.textContent = message;
  return el('section', { className: 'notice notice--error' }, el('h2', {}, title), el('p', {}, message));
}

async function load() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('share');
  if (!token) {
    show('invalid', notice('Onvolledige link', 'Deze link bevat geen deelcode. Vraag de houder om een nieuwe link.'));
    return;
  }
  let response;
  try {
    response = await fetch(SHARED_URL, {
      credentials: 'omit',
      headers: { Accept: 'application/json', 'X-WoningPas-Share': token },
    });
  } catch {
    show('error', notice('Geen verbinding', 'De gegevens konden niet worden opgehaald. Probeer het later opnieuw.'));
    return;
  }
  if (response.status === 401 || response.status === 404) {
    show('revoked', notice('Link niet meer geldig', 'Deze link is verlopen of door de houder ingetrokken.'));
    return;
  }
  if (!response.ok) {
    show('error', notice('Er ging iets mis', 'De gegevens konden niet worden opgehaald. Probeer het later opnieuw.'));
    return;
  }
  const passport = await response.json();
  const cards = Object.entries(passport.sections).map(([name, section]) => sectionCard(name, section));
  show('loaded',
    el('h2', {}, passport.address.label),
    el('div', { className: 'cards' }, cards));
  announcer.textContent = 'De gedeelde woningpas is geladen.';
}

load();
