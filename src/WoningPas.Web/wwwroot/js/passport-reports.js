// "Report wrong data" on every section card an agency owns: a comment form, and the status of the holder's latest
// report with the agency's answer. Derived sections (the renovation obligation) and the holder's own documents have no
// agency to correct them, so they get no form. Data is rendered with textContent only, never as HTML.

/** The sections an agency owns: the Api accepts reports on these only. */
const REPORTABLE = ['epc', 'asbestos', 'soil', 'flood', 'permits', 'conformity', 'installations'];
const MIN_COMMENT = 10;
const MAX_COMMENT = 2000;

export function create(ui) {
  const { t, el } = ui;

  const STATUS = {
    open: t('ingediend', 'submitted'),
    resolved: t('opgelost', 'resolved'),
    rejected: t('afgewezen', 'rejected'),
  };

  const reportsUrl = (dwelling) => `/api/dwellings/${encodeURIComponent(dwelling.id)}/reports`;
  const sectionReportsUrl = (dwelling, section) =>
    `/api/dwellings/${encodeURIComponent(dwelling.id)}/passport/${encodeURIComponent(section)}/reports`;

  function statusBlock(report) {
    if (!report) {
      return null;
    }
    const status = STATUS[report.status] ?? report.status ?? '';
    return el('div', { className: `report__status report__status--${report.status ?? 'unknown'}`, 'data-testid': 'report-status', 'data-report-status': report.status ?? '' },
      el('p', {}, t('Uw melding van ', 'Your report of '), ui.dateElement(report.reportedAt), ': ',
        el('strong', {}, status)),
      report.answer
        ? el('p', { className: 'report__answer' },
          t('Antwoord van het agentschap', 'The agency\'s answer'),
          report.answeredAt ? [t(' op ', ' on '), ui.dateElement(report.answeredAt)] : null, ': ',
          el('q', {}, report.answer))
        : null);
  }

  function reportBlock(dwelling, section, latest) {
    const base = `report-${section.key}`;
    const status = el('div', { className: 'report__current', tabindex: '-1' }, statusBlock(latest));
    const hint = el('p', { id: `${base}-hint`, className: 'field__hint' },
      t(`Beschrijf in ${MIN_COMMENT} tot ${MAX_COMMENT} tekens wat er niet klopt. Het agentschap dat dit onderdeel beheert, bekijkt uw melding en antwoordt hier.`,
        `Describe in ${MIN_COMMENT} to ${MAX_COMMENT} characters what is wrong. The agency that keeps this section reviews your report and answers here.`));
    const error = el('p', { id: `${base}-error`, className: 'field__error', hidden: true });
    const comment = el('textarea', {
      id: `${base}-comment`, name: 'comment', rows: 4, minlength: MIN_COMMENT, maxlength: MAX_COMMENT, required: true,
      'aria-describedby': `${base}-hint ${base}-error`,
    });
    const submit = el('button', { type: 'submit', className: 'button button--primary' }, t('Melding versturen', 'Send report'));
    const cancel = el('button', { type: 'button', className: 'button' }, t('Annuleren', 'Cancel'));
    const form = el('form', { id: `${base}-form`, className: 'report__form', novalidate: true, hidden: true },
      el('label', { for: `${base}-comment` }, t(`Wat klopt er niet aan: ${section.title}?`, `What is wrong with: ${section.title}?`)),
      hint, comment, error,
      el('div', { className: 'form-actions' }, submit, cancel));
    const toggle = el('button', {
      type: 'button', className: 'button button--small', 'aria-expanded': 'false', 'aria-controls': `${base}-form`,
      'data-testid': 'report-toggle',
    }, t('Foute gegevens melden', 'Report wrong data'));

    function open(expanded) {
      form.hidden = !expanded;
      toggle.setAttribute('aria-expanded', String(expanded));
      if (expanded) {
        comment.focus();
      }
    }

    function showError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) {
        comment.setAttribute('aria-invalid', 'true');
        comment.focus();
      } else {
        comment.removeAttribute('aria-invalid');
      }
    }

    toggle.addEventListener('click', () => open(form.hidden));
    cancel.addEventListener('click', () => {
      open(false);
      showError(null);
      toggle.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = comment.value.trim();
      if (text.length < MIN_COMMENT || text.length > MAX_COMMENT) {
        showError(t(`Beschrijf in ${MIN_COMMENT} tot ${MAX_COMMENT} tekens wat er niet klopt (nu ${text.length}).`,
          `Describe in ${MIN_COMMENT} to ${MAX_COMMENT} characters what is wrong (now ${text.length}).`));
        return;
      }
      submit.disabled = true;
      form.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await ui.send('POST', sectionReportsUrl(dwelling, section.key), { json: { comment: text } });
      } catch {
        result = { status: 0, problem: null };
      }
      submit.disabled = false;
      form.setAttribute('aria-busy', 'false');
      if (result.status !== 201 || !result.body) {
        showError(result.status === 400
          ? t('De melding werd niet aanvaard. Controleer uw beschrijving en probeer het opnieuw.', 'The report was not accepted. Check your description and try again.')
          : ui.failureText(result));
        return;
      }
      showError(null);
      form.reset();
      open(false);
      status.replaceChildren(statusBlock(result.body));
      status.focus();
      ui.announce(t(`Uw melding over ${section.title} is ingediend.`, `Your report about ${section.title} has been submitted.`));
    });

    return el('div', { className: 'report', 'data-testid': `report-${section.key}` }, status, toggle, form);
  }

  async function mount(dwelling, cards) {
    let reports = [];
    try {
      const result = await ui.getJson(reportsUrl(dwelling));
      if (result.status === 200 && Array.isArray(result.body?.reports)) {
        reports = result.body.reports;
      }
    } catch {
      // Without the earlier reports the form still works; their status shows once the page is reloaded.
    }
    for (const section of ui.sections().filter((s) => REPORTABLE.includes(s.key))) {
      const card = cards.querySelector(`[data-section="${section.key}"]`);
      if (card) {
        // The Api lists newest first.
        card.append(reportBlock(dwelling, section, reports.find((r) => r.section === section.key)));
      }
    }
    cards.dataset.reports = 'ready';
  }

  return { mount };
}
