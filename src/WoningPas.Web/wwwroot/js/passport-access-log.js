// "Who saw my data?": the access log of the holder's dwellings, page by page, and as a CSV or JSON download. The Api
// names organisations and roles, never a staff member; each look at this log is itself recorded. Data is rendered with
// textContent only, never as HTML.

const ACCESS_LOG_URL = '/api/me/access-log';
const PAGE_SIZE = 50;

export function create(ui) {
  const { t, el } = ui;

  const ACTIONS = {
    read: t('bekeek', 'viewed'),
    search: t('zocht', 'searched'),
    export: t('exporteerde', 'exported'),
    print: t('drukte af', 'printed'),
    download: t('downloadde', 'downloaded'),
    edit: t('wijzigde of meldde', 'changed or reported'),
    share: t('deelde', 'shared'),
    revoke: t('stopte het delen van', 'stopped sharing'),
    upload: t('laadde op', 'uploaded'),
    delete: t('verwijderde', 'deleted'),
  };

  const ORGANISATIONS = {
    'energy-agency': t('Vlaams Energie- en Klimaatagentschap', 'Flemish Energy and Climate Agency'),
    'waste-agency': 'OVAM',
    'environment-department': t('Departement Omgeving', 'Department of Environment'),
    'housing-agency': t('Wonen in Vlaanderen', 'Housing Agency of Flanders'),
    municipality: t('de gemeente', 'the municipality'),
    'access-log-audit': t('de auditdienst', 'the audit service'),
  };

  const PURPOSES = {
    'own-dossier': t('eigen dossier', 'own file'),
    'agency-dossier': t('dossierbeheer door het agentschap', 'file management by the agency'),
    'machine-client': t('koppeling met een andere overheidsdienst', 'link with another government service'),
    'shared-link': t('via een deellink', 'through a share link'),
    audit: t('controle van het toegangslog', 'audit of the access log'),
  };

  const OBJECTS = {
    passport: t('de woningpas', 'the passport'),
    document: t('een document', 'a document'),
    share: t('een deling', 'a share'),
    shares: t('de lijst van delingen', 'the list of shares'),
    'data-report': t('een melding van foute gegevens', 'a report of wrong data'),
    'data-reports': t('de meldingen van foute gegevens', 'the reports of wrong data'),
    section: t('een onderdeel', 'a section'),
  };

  function who(entry) {
    if (entry.byYou) {
      return t('U zelf', 'You');
    }
    const organisation = entry.actorOrganisation ? ORGANISATIONS[entry.actorOrganisation] ?? entry.actorOrganisation : null;
    switch (entry.actorRole) {
      case 'link':
        return t('Iemand met een deellink', 'Someone with a share link');
      case 'editor':
        return organisation ? t(`Een medewerker van ${organisation}`, `A staff member of ${organisation}`) : t('Een medewerker van de overheid', 'A government staff member');
      case 'auditor':
        return t('Een auditor', 'An auditor');
      case 'machine':
        return organisation ? t(`Een toepassing van ${organisation}`, `An application of ${organisation}`) : t('Een toepassing van de overheid', 'A government application');
      case 'citizen':
        return t('Een andere houder of iemand met wie u deelde', 'Another holder or someone you shared with');
      default:
        return entry.actorRole ?? t('onbekend', 'unknown');
    }
  }

  function what(entry) {
    const id = typeof entry.objectId === 'string' ? entry.objectId : '';
    if (id.includes('/') && !id.endsWith('/new')) {
      const key = id.slice(id.lastIndexOf('/') + 1);
      const section = ui.sections().find((s) => s.key === key);
      if (section) {
        return section.title;
      }
    }
    return OBJECTS[entry.objectKind] ?? entry.objectKind ?? '';
  }

  function why(entry) {
    const purpose = entry.purpose ?? '';
    if (purpose.startsWith('shared:')) {
      return t('via een deling', 'through a share');
    }
    return PURPOSES[purpose] ?? purpose;
  }

  function row(entry, addresses) {
    return el('tr', { 'data-role': entry.actorRole ?? '', 'data-action': entry.action ?? '', 'data-by-you': entry.byYou ? 'true' : 'false' },
      el('td', {}, ui.dateTimeElement(entry.occurredAt)),
      el('td', {}, who(entry)),
      el('td', {}, `${ACTIONS[entry.action] ?? entry.action ?? ''} ${what(entry)}`),
      el('td', {}, addresses.get(entry.dwellingId) ?? '–'),
      el('td', {}, why(entry)),
      el('td', {}, entry.outcome === 'denied'
        ? el('span', { className: 'status status--expired' }, t('geweigerd', 'refused'))
        : t('toegestaan', 'allowed')));
  }

  function mount(dwellings) {
    const section = document.getElementById('passport-access-log');
    const body = document.getElementById('access-log-body');
    if (!section || !body) {
      return;
    }
    const addresses = new Map(dwellings.map((d) => [d.id, d.address ?? '']));
    let page = 0;

    const tbody = el('tbody');
    const table = el('table', { className: 'access-log__table', 'data-testid': 'access-log' },
      el('caption', { className: 'visually-hidden' }, t('Toegangen tot uw gegevens, de nieuwste eerst', 'Accesses to your data, newest first')),
      el('thead', {}, el('tr', {},
        [t('Wanneer', 'When'), t('Wie', 'Who'), t('Wat', 'What'), t('Woning', 'Home'), t('Waarom', 'Why'), t('Resultaat', 'Outcome')]
          .map((h) => el('th', { scope: 'col' }, h)))),
      tbody);
    const wrapper = el('div', { className: 'table-scroll', id: 'access-log-table', tabindex: '0', role: 'region', 'aria-label': t('Toegangslog', 'Access log'), hidden: true }, table);
    const status = el('p', { className: 'muted', role: 'status' });
    const more = el('button', { type: 'button', className: 'button', hidden: true }, t('Meer tonen', 'Show more'));
    const toggle = el('button', {
      type: 'button', className: 'button button--primary', 'aria-expanded': 'false', 'aria-controls': 'access-log-table',
      'data-testid': 'access-log-toggle',
    }, t('Toon wie mijn gegevens zag', 'Show who saw my data'));

    async function load() {
      page += 1;
      more.disabled = true;
      body.setAttribute('aria-busy', 'true');
      status.textContent = t('Laden…', 'Loading…');
      let result;
      try {
        result = await ui.getJson(`${ACCESS_LOG_URL}?page=${page}&pageSize=${PAGE_SIZE}`);
      } catch {
        result = { status: 0, body: null };
      }
      body.setAttribute('aria-busy', 'false');
      more.disabled = false;
      if (result.status !== 200 || !Array.isArray(result.body?.items)) {
        page -= 1;
        status.textContent = ui.failureText(result);
        body.dataset.state = 'error';
        return;
      }
      tbody.append(...result.body.items.map((entry) => row(entry, addresses)));
      wrapper.hidden = false;
      more.hidden = !result.body.hasMore;
      const count = tbody.rows.length;
      status.textContent = count === 0
        ? t('Er is nog niets vastgelegd.', 'Nothing has been recorded yet.')
        : t(`${count} toegangen getoond, de nieuwste eerst.`, `${count} accesses shown, newest first.`);
      body.dataset.state = 'ready';
    }

    toggle.addEventListener('click', async () => {
      const expanding = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(expanding));
      toggle.textContent = expanding ? t('Verberg het overzicht', 'Hide the overview') : t('Toon wie mijn gegevens zag', 'Show who saw my data');
      if (!expanding) {
        wrapper.hidden = true;
        more.hidden = true;
        status.textContent = '';
        return;
      }
      // Every opening reads the log afresh: the newest accesses matter most.
      page = 0;
      tbody.replaceChildren();
      await load();
    });
    more.addEventListener('click', load);

    body.replaceChildren(
      el('ul', { className: 'link-list access-log__downloads' },
        el('li', {}, el('a', { href: `${ACCESS_LOG_URL}?format=csv`, download: 'toegangslog.csv', 'data-testid': 'access-log-csv' },
          t('Download als CSV (voor een rekenblad)', 'Download as CSV (for a spreadsheet)'))),
        el('li', {}, el('a', { href: `${ACCESS_LOG_URL}?format=json`, download: 'toegangslog.json', 'data-testid': 'access-log-json' },
          t('Download als JSON', 'Download as JSON')))),
      el('div', { className: 'form-actions' }, toggle),
      status, wrapper, more);
    section.hidden = false;
  }

  return { mount };
}
