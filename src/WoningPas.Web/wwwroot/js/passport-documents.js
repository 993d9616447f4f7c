// Documents on the passport's documents card: the list with download links, and an upload form. The Api decides what
// it accepts (type by content, active PDF content, virus scan, size) and says why it refuses; this module only puts the
// reason into words. Data is rendered with textContent only, never as HTML.

const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export function create(ui) {
  const { t, el } = ui;

  const documentsUrl = (dwelling) => `/api/dwellings/${encodeURIComponent(dwelling.id)}/documents`;
  const sectionUrl = (dwelling) => `/api/dwellings/${encodeURIComponent(dwelling.id)}/passport/documents`;

  const KINDS = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };
  const sizeFormat = new Intl.NumberFormat(ui.EN ? 'en-GB' : 'nl-BE', { maximumFractionDigits: 1 });

  function size(bytes) {
    if (typeof bytes !== 'number') {
      return '';
    }
    return bytes < 1024 * 1024
      ? `${sizeFormat.format(Math.max(1, Math.round(bytes / 1024)))} kB`
      : `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
  }

  /** The Api's refusal in the page's words, by its stable problem type; the reason is the point, so it is specific. */
  function refusalText(result) {
    const problem = result.problem ?? {};
    switch (ui.problemKind(problem)) {
      case 'upload-malware':
        return t('Het virusprogramma vond een virus in dit bestand. Het bestand werd niet opgeslagen.',
          'The virus scanner found a virus in this file. The file was not stored.');
      case 'upload-active-content':
        return t('Dit PDF-bestand bevat actieve inhoud (zoals JavaScript, een automatische actie of een ingesloten bestand) en werd niet opgeslagen. Bewaar of druk het af als gewone PDF en probeer het opnieuw.',
          'This PDF contains active content (such as JavaScript, an automatic action or an embedded file) and was not stored. Save or print it as a plain PDF and try again.');
      case 'upload-not-inspectable':
        return inspectionText(problem.reason);
      case 'upload-unsupported-type':
        return t('Alleen PDF-, JPEG- en PNG-bestanden worden aanvaard. De inhoud van dit bestand is iets anders, wat de naam ook zegt.',
          'Only PDF, JPEG and PNG files are accepted. The content of this file is something else, whatever its name says.');
      case 'upload-too-large': {
        const limit = typeof problem.maxBytes === 'number' ? size(problem.maxBytes) : null;
        return limit
          ? t(`Het bestand is te groot: een document mag hoogstens ${limit} zijn.`, `The file is too large: a document can be at most ${limit}.`)
          : t('Het bestand is te groot.', 'The file is too large.');
      }
      case 'upload-not-scanned':
        return t('Het bestand kon nu niet op virussen gecontroleerd worden en werd daarom niet opgeslagen. Probeer het later opnieuw.',
          'The file could not be checked for viruses right now, so it was not stored. Please try again later.');
      default:
        return result.status === 413
          ? t('Het bestand is te groot.', 'The file is too large.')
          : ui.failureText(result);
    }
  }

  /** Why a PDF could not be checked completely, by the Api's reason code; each ends with what the holder can do. */
  function inspectionText(reason) {
    const why = {
      'too-slow': t('het controleren duurt te lang', 'checking it takes too long'),
      'too-much-memory': t('het controleren vraagt te veel geheugen', 'checking it needs too much memory'),
      'too-large': t('de inhoud is uitgepakt te groot', 'its unpacked content is too large'),
      password: t('het is met een wachtwoord beveiligd', 'it is protected with a password'),
      undecodable: t('een deel ervan kan niet gelezen worden', 'part of it cannot be read'),
      unreadable: t('het is beschadigd of geen leesbare PDF', 'it is damaged or not a readable PDF'),
    }[reason] ?? t('het kon niet gelezen worden', 'it could not be read');
    return t(`Dit PDF-bestand kon niet volledig gecontroleerd worden: ${why}. Het werd niet opgeslagen. Bewaar of druk het af als gewone PDF en probeer het opnieuw.`,
      `This PDF could not be checked completely: ${why}. It was not stored. Save or print it as a plain PDF and try again.`);
  }

  function documentList(dwelling, documents) {
    if (!Array.isArray(documents) || documents.length === 0) {
      return el('p', { className: 'muted', 'data-testid': 'documents-none' },
        t('U voegde nog geen documenten toe.', 'You have not added any documents yet.'));
    }
    return el('ul', { className: 'card__list document-list', 'data-testid': 'documents' },
      documents.map((d) => el('li', { 'data-document-id': d.id },
        el('a', { href: `${documentsUrl(dwelling)}/${encodeURIComponent(d.id)}`, download: d.fileName ?? true },
          d.title ?? d.fileName ?? t('document', 'document')),
        el('span', { className: 'muted' },
          ` (${[KINDS[d.contentType] ?? '', size(d.sizeBytes)].filter(Boolean).join(', ')}, `,
          t('toegevoegd op ', 'added on '), ui.dateElement(d.uploadedAt), ')'))));
  }

  function field(id, label, input, hint) {
    const error = el('p', { id: `${id}-error`, className: 'field__error', hidden: true });
    input.id = id;
    input.setAttribute('aria-describedby', [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '));
    return {
      node: el('div', { className: 'field' },
        el('label', { for: id }, label),
        hint ? el('p', { id: `${id}-hint`, className: 'field__hint' }, hint) : null,
        input,
        error),
      input,
      error(message) {
        error.textContent = message ?? '';
        error.hidden = !message;
        if (message) {
          input.setAttribute('aria-invalid', 'true');
        } else {
          input.removeAttribute('aria-invalid');
        }
      },
    };
  }

  /** `section` is the passport's documents section as already loaded: its list gets download links here. */
  function mount(dwelling, card, section) {
    if (!card) {
      return;
    }
    const holder = card.querySelector('[data-role="document-list"]') ?? card.appendChild(el('div', { 'data-role': 'document-list' }));
    if (Array.isArray(section?.documents)) {
      holder.replaceChildren(documentList(dwelling, section.documents));
    }

    async function refresh() {
      holder.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await ui.getJson(sectionUrl(dwelling));
      } catch {
        result = { status: 0, body: null };
      }
      holder.setAttribute('aria-busy', 'false');
      if (result.status === 200 && result.body) {
        holder.replaceChildren(documentList(dwelling, result.body.documents));
      }
      return result;
    }

    const title = field('upload-title', t('Titel', 'Title'),
      el('input', { type: 'text', name: 'title', maxlength: 200, autocomplete: 'off', required: true }),
      t('Bijvoorbeeld: factuur dakisolatie 2024.', 'For example: roof insulation invoice 2024.'));
    const file = field('upload-file', t('Bestand', 'File'),
      el('input', { type: 'file', name: 'file', accept: ACCEPT, required: true }),
      t('PDF, JPEG of PNG. Elk bestand wordt op virussen gecontroleerd; een PDF met actieve inhoud wordt geweigerd.',
        'PDF, JPEG or PNG. Every file is checked for viruses; a PDF with active content is refused.'));
    const submit = el('button', { type: 'submit', className: 'button button--primary' }, t('Document toevoegen', 'Add document'));
    const refusal = el('div', { className: 'notice notice--error form-message', 'data-testid': 'upload-error', role: 'alert', tabindex: '-1', hidden: true });
    const success = el('p', { className: 'form-success', 'data-testid': 'upload-success', role: 'status' });
    const form = el('form', { className: 'upload', 'data-testid': 'upload-form', novalidate: true, 'aria-labelledby': 'upload-heading' },
      el('h4', { id: 'upload-heading' }, t('Document toevoegen', 'Add a document')),
      title.node, file.node, refusal, el('div', { className: 'form-actions' }, submit), success);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = file.input.files?.[0] ?? null;
      const name = title.input.value.trim();
      title.error(name ? null : t('Geef het document een titel.', 'Give the document a title.'));
      file.error(chosen ? null : t('Kies een bestand.', 'Choose a file.'));
      refusal.hidden = true;
      success.textContent = '';
      if (!name || !chosen) {
        (name ? file.input : title.input).focus();
        return;
      }

      submit.disabled = true;
      form.setAttribute('aria-busy', 'true');
      form.dataset.state = 'uploading';
      ui.announce(t('Het document wordt opgeladen en gecontroleerd…', 'Uploading and checking the document…'));
      const query = new URLSearchParams({ title: name, fileName: chosen.name });
      let result;
      try {
        result = await ui.send('POST', `${documentsUrl(dwelling)}?${query}`, { body: chosen });
      } catch {
        result = { status: 0, problem: null };
      }
      submit.disabled = false;
      form.setAttribute('aria-busy', 'false');

      if (result.status === 201) {
        form.reset();
        form.dataset.state = 'stored';
        const message = t(`Het document "${name}" is toegevoegd.`, `The document "${name}" was added.`);
        success.textContent = message;
        ui.announce(message);
        await refresh();
        return;
      }
      form.dataset.state = 'refused';
      refusal.dataset.reason = ui.problemKind(result.problem) || String(result.status);
      refusal.replaceChildren(
        el('p', { className: 'form-message__title' }, t('Het document werd niet toegevoegd', 'The document was not added')),
        el('p', {}, refusalText(result)));
      refusal.hidden = false;
      refusal.focus();
    });

    card.append(form);
    card.dataset.documents = 'ready';
  }

  return { mount };
}
