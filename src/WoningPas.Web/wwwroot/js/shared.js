// The page a share link opens: /gedeeld#share=TOKEN, or /en/shared#share=TOKEN. The token stays in the fragment
// (browsers never send it to a server, so it reaches no log) and goes to the Api only in the X-WoningPas-Share header,
// without cookies. The language is the page's: <html lang>. Data is rendered with textContent only, never as HTML.

const SHARED_URL = '/api/shared/passport';
const EN = document.documentElement.lang === 'en';
const t = (dutch, english) => (EN ? english : dutch);
const dateFormat = new Intl.DateTimeFormat(EN ? 'en-GB' : 'nl-BE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const SECTIONS = {
  epc: t('Energieprestatiecertificaat (EPC)', 'Energy performance certificate (EPC)'),
  renovation: t('Renovatieplicht', 'Renovation obligation'),
  asbestos: t('Asbestattest', 'Asbestos certificate'),
  soil: t('Bodemattest', 'Soil certificate'),
  flood: t('Overstromingsgevoeligheid', 'Flood risk'),
  permits: t('Vergunningen', 'Permits'),
  conformity: t('Conformiteitsattest', 'Conformity certificate'),
  installations: t('Installaties', 'Installations'),
  documents: t('Documenten', 'Documents'),
};

const STATUSES = {
  valid: t('geldig', 'valid'),
  expiring: t('verloopt binnenkort', 'expiring soon'),
  expired: t('verlopen', 'expired'),
  missing: t('ontbreekt', 'missing'),
  notRequired: t('niet vereist', 'not required'),
  unavailable: t('tijdelijk niet beschikbaar', 'temporarily unavailable'),
};

const FIELDS = {
  label: t('Label', 'Label'),
  primaryEnergyUse: t('Primair energieverbruik (kWh/m² per jaar)', 'Primary energy use (kWh/m² per year)'),
  issuedOn: t('Uitgereikt op', 'Issued on'),
  validUntil: t('Geldig tot', 'Valid until'),
  deadline: t('Uiterlijk', 'Deadline'),
  deedSignedOn: t('Akte verleden op', 'Deed signed on'),
  hasHighRiskMaterials: t('Materialen met hoog risico', 'High-risk materials'),
  requiredAtSale: t('Vereist bij verkoop', 'Required at sale'),
  afterInvestigationWithDefects: t('Na onderzoek met gebreken', 'After an investigation with defects'),
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
    return value ? t('ja', 'yes') : t('nee', 'no');
  }
  const date = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return date ? dateFormat.format(new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])))) : String(value);
}

function sectionCard(name, section) {
  const facts = Object.entries(FIELDS)
    .filter(([key]) => section[key] !== null && section[key] !== undefined)
    .map(([key, label]) => [el('dt', {}, label), el('dd', {}, text(section[key]))]);
  const items = Object.values(section).find(Array.isArray);
  return el('section', { className: 'card', 'aria-labelledby': `shared-${name}`, 'data-section': name },
    el('h3', { id: `shared-${name}` }, SECTIONS[name] ?? name),
    el('p', {}, el('span', { className: `status status--${section.status ?? 'unknown'}` }, STATUSES[section.status] ?? t('onbekend', 'unknown'))),
    facts.length > 0 ? el('dl', { className: 'facts' }, facts) : null,
    items ? el('p', {}, items.length === 1 ? t('1 item', '1 item') : t(`${items.length} items`, `${items.length} items`)) : null);
}

function show(state, message, ...nodes) {
  region.replaceChildren(...nodes);
  region.dataset.state = state;
  region.setAttribute('aria-busy', 'false');
  announcer.textContent = message;
}

function notice(kind, title, message) {
  return el('section', { className: `notice notice--${kind}`, 'aria-labelledby': 'shared-notice-title' },
    el('h2', { id: 'shared-notice-title' }, title), el('p', {}, message));
}

/** The language switch keeps the fragment, so that the other language opens the same link. */
function carryFragmentToTranslation() {
  for (const link of document.querySelectorAll('a.site-nav__language')) {
    link.hash = window.location.hash;
  }
}

async function load() {
  carryFragmentToTranslation();
  region.setAttribute('aria-busy', 'true');
  const token = new URLSearchParams(window.location.hash.slice(1)).get('share');
  if (!token) {
    const message = t('Open de link die u van de houder kreeg: hij bevat de code die de gedeelde gegevens toont.',
      'Open the link you received from the holder: it contains the code that shows the shared data.');
    show('no-link', message, notice('info', t('Geen deellink geopend', 'No share link opened'), message));
    return;
  }
  let response;
  try {
    response = await fetch(SHARED_URL, {
      credentials: 'omit',
      headers: { Accept: 'application/json', 'X-WoningPas-Share': token },
    });
  } catch {
    const message = t('De gegevens konden niet worden opgehaald. Probeer het later opnieuw.', 'The data could not be fetched. Please try again later.');
    show('error', message, notice('error', t('Geen verbinding', 'No connection'), message));
    return;
  }
  if (response.status === 401 || response.status === 404) {
    const message = t('Deze link is verlopen of door de houder ingetrokken.', 'This link has expired or was revoked by the holder.');
    show('revoked', message, notice('error', t('Link niet meer geldig', 'Link no longer valid'), message));
    return;
  }
  const passport = response.ok ? await response.json().catch(() => null) : null;
  if (!passport || typeof passport.sections !== 'object') {
    const message = t('De gegevens konden niet worden opgehaald. Probeer het later opnieuw.', 'The data could not be fetched. Please try again later.');
    show('error', message, notice('error', t('Er ging iets mis', 'Something went wrong'), message));
    return;
  }
  const cards = Object.entries(passport.sections).map(([name, section]) => sectionCard(name, section ?? {}));
  show('loaded', t('De gedeelde woningpas is geladen.', 'The shared passport has loaded.'),
    el('h2', {}, passport.address?.label ?? t('Gedeelde woning', 'Shared home')),
    el('div', { className: 'cards' }, cards));
}

window.addEventListener('hashchange', load);
load();
