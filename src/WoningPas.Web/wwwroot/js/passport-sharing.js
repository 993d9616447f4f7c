// Sharing a dwelling's passport: chosen sections, with a person (by e-mail) or as a link, until a date at most a year
// ahead; the list of shares with who used them; revoking. A link's token is shown once, right after it is made: the
// Api keeps only its hash (decision 0005), and the token lives in the URL fragment, which no server ever receives.
// Data is rendered with textContent only, never as HTML.

export function create(ui) {
  const { t, el } = ui;

  const sharesUrl = (dwelling) => `/api/dwellings/${encodeURIComponent(dwelling.id)}/shares`;

  const STATUS = {
    active: t('actief', 'active'),
    expired: t('verlopen', 'expired'),
    revoked: t('ingetrokken', 'revoked'),
  };

  const sectionTitle = (key) => ui.sections().find((s) => s.key === key)?.title ?? key;

  function addYears(iso, years) {
    const [y, m, d] = iso.split('-').map(Number);
    const date = new Date(Date.UTC(y + years, m - 1, d));
    // 29 February plus a year is 1 March in JavaScript but 28 February for the Api: take the earlier day.
    if (date.getUTCDate() !== d) {
      date.setUTCDate(0);
    }
    return date.toISOString().slice(0, 10);
  }

  function addDays(iso, days) {
    const [y, m, d] = iso.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
  }

  let counter = 0;

  function mount(dwelling, container) {
    counter += 1;
    const id = (name) => `share-${counter}-${name}`;
    const today = ui.belgianToday();
    const latest = addYears(today, 1);

    // The form ---------------------------------------------------------------------------------------------------
    const errors = {};
    const errorNode = (name) => {
      errors[name] = el('p', { id: id(`${name}-error`), className: 'field__error', hidden: true });
      return errors[name];
    };

    const sectionBoxes = ui.sections().map((section) => el('label', { className: 'choice' },
      el('input', { type: 'checkbox', name: 'sections', value: section.key }), ' ', section.title));
    const sectionsSet = el('fieldset', { className: 'choices', 'aria-describedby': id('sections-error') },
      el('legend', {}, t('Welke onderdelen deelt u?', 'Which sections do you share?')),
      el('div', { className: 'choices__grid' }, sectionBoxes),
      errorNode('sections'));

    const viaEmail = el('input', { type: 'radio', name: id('kind'), value: 'email', checked: true });
    const viaLink = el('input', { type: 'radio', name: id('kind'), value: 'link' });
    const email = el('input', {
      type: 'email', id: id('email'), name: 'email', autocomplete: 'off', maxlength: 254, spellcheck: 'false',
      'aria-describedby': `${id('email-hint')} ${id('email-error')}`,
    });
    const emailField = el('div', { className: 'field' },
      el('label', { for: id('email') }, t('E-mailadres van de ontvanger', 'Recipient\'s e-mail address')),
      el('p', { id: id('email-hint'), className: 'field__hint' },
        t('De ontvanger meldt zich aan met dit geverifieerde e-mailadres.', 'The recipient signs in with this verified e-mail address.')),
      email, errorNode('email'));
    const kindSet = el('fieldset', { className: 'choices' },
      el('legend', {}, t('Met wie?', 'With whom?')),
      el('label', { className: 'choice' }, viaEmail, ' ', t('Met een persoon, via e-mailadres', 'With a person, by e-mail address')),
      el('label', { className: 'choice' }, viaLink, ' ',
        t('Met een link: wie de link heeft, ziet de gedeelde onderdelen', 'As a link: whoever has the link sees the shared sections')),
      emailField);
    const syncKind = () => {
      emailField.hidden = viaLink.checked;
    };
    viaEmail.addEventListener('change', syncKind);
    viaLink.addEventListener('change', syncKind);

    const expires = el('input', {
      type: 'date', id: id('expires'), name: 'expiresOn', min: today, max: latest, value: addDays(today, 30), required: true,
      'aria-describedby': `${id('expires-hint')} ${id('expires-error')}`,
    });
    const expiresField = el('div', { className: 'field' },
      el('label', { for: id('expires') }, t('Gedeeld tot en met', 'Shared until and including')),
      el('p', { id: id('expires-hint'), className: 'field__hint' },
        t(`Hoogstens een jaar: uiterlijk ${ui.formatDate(latest)}. U kunt het delen altijd eerder stoppen.`,
          `At most a year: ${ui.formatDate(latest)} at the latest. You can always stop sharing earlier.`)),
      expires, errorNode('expires'));

    const submit = el('button', { type: 'submit', className: 'button button--primary' }, t('Delen', 'Share'));
    const formError = el('div', { className: 'notice notice--error form-message', role: 'alert', tabindex: '-1', hidden: true, 'data-testid': 'share-error' });
    const form = el('form', { className: 'share-form', novalidate: true, 'aria-labelledby': id('new-title'), 'data-testid': 'share-form' },
      el('h4', { id: id('new-title') }, t('Nieuwe deling', 'New share')),
      sectionsSet, kindSet, expiresField, formError,
      el('div', { className: 'form-actions' }, submit));

    // The link, shown once ---------------------------------------------------------------------------------------
    const linkBox = el('div', { className: 'share-link', 'data-testid': 'share-link', hidden: true, tabindex: '-1', 'aria-labelledby': id('link-title'), role: 'group' });

    function showLink(url) {
      const input = el('input', { type: 'text', id: id('link'), readonly: true, value: url, className: 'share-link__url', spellcheck: 'false' });
      const copied = el('p', { className: 'field__hint', role: 'status', 'data-testid': 'share-link-copied' });
      const copy = el('button', { type: 'button', className: 'button button--primary', 'data-testid': 'share-link-copy' }, t('Link kopiëren', 'Copy link'));
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(url);
          copied.textContent = t('De link is gekopieerd.', 'The link has been copied.');
        } catch {
          // Without clipboard access the link is selected, ready for Ctrl+C.
          input.focus();
          input.select();
          copied.textContent = t('Kopiëren lukte niet: de link is geselecteerd, kopieer hem met Ctrl+C.',
            'Copying failed: the link is selected, copy it with Ctrl+C.');
        }
      });
      const close = el('button', { type: 'button', className: 'button' }, t('Ik heb de link bewaard', 'I have saved the link'));
      close.addEventListener('click', () => {
        linkBox.hidden = true;
        linkBox.replaceChildren();
        submit.focus();
      });
      linkBox.replaceChildren(
        el('h4', { id: id('link-title') }, t('Uw deellink', 'Your share link')),
        el('p', {}, t('Deze link wordt maar één keer getoond: WoningPas bewaart hem niet. Kopieer hem nu en bezorg hem aan wie hem nodig heeft.',
          'This link is shown only once: WoningPas does not keep it. Copy it now and give it to whoever needs it.')),
        el('label', { for: id('link') }, t('Deellink', 'Share link')),
        input,
        el('div', { className: 'form-actions' }, copy, close),
        copied);
      linkBox.hidden = false;
      linkBox.focus();
    }

    // The list ---------------------------------------------------------------------------------------------------
    const list = el('div', { className: 'share-list', 'data-testid': 'shares', 'aria-busy': 'true' });

    function use(u) {
      const what = u.objectKind === 'passport'
        ? t('de woningpas', 'the passport')
        : typeof u.objectId === 'string' && u.objectId.includes('/')
          ? sectionTitle(u.objectId.slice(u.objectId.lastIndexOf('/') + 1))
          : u.objectKind;
      return el('li', {}, ui.dateTimeElement(u.at), ': ', u.by === 'link' ? t('via de link', 'through the link') : u.by,
        t(' bekeek ', ' viewed '), what);
    }

    function shareItem(share) {
      const heading = share.kind === 'link'
        ? t('Link', 'Link')
        : share.recipientEmail ?? t('Persoon', 'Person');
      const usage = share.usage ?? { count: 0, recent: [] };
      const item = el('li', { className: 'share', 'data-share-id': share.id, 'data-share-status': share.status },
        el('p', { className: 'share__who' }, el('strong', {}, heading), ' – ',
          el('span', { className: `status status--${share.status === 'active' ? 'valid' : 'expired'}` }, STATUS[share.status] ?? share.status)),
        el('p', {}, t('Onderdelen: ', 'Sections: '), (share.sections ?? []).map(sectionTitle).join(', ')),
        el('p', {}, share.status === 'revoked' ? t('Ingetrokken op ', 'Revoked on ') : t('Tot en met ', 'Until and including '),
          share.status === 'revoked' ? ui.dateTimeElement(share.revokedAt) : ui.dateElement(share.expiresOn)),
        el('p', { 'data-testid': 'share-usage' }, usage.count === 0
          ? t('Nog niet gebruikt.', 'Not used yet.')
          : [t(`${usage.count} keer gebruikt, laatst op `, `Used ${usage.count} times, last on `), ui.dateTimeElement(usage.lastUsedAt), '.']),
        usage.count > 0
          ? el('details', { className: 'share__uses' },
            el('summary', {}, t('Wie gebruikte deze deling?', 'Who used this share?')),
            el('ul', {}, (usage.recent ?? []).map(use)))
          : null);
      if (share.status === 'active') {
        item.append(revokeControl(share, heading));
      }
      return item;
    }

    function revokeControl(share, heading) {
      const box = el('div', { className: 'share__revoke' });
      const ask = el('button', { type: 'button', className: 'button button--small', 'data-testid': 'share-revoke' },
        t('Delen stoppen', 'Stop sharing'), el('span', { className: 'visually-hidden' }, `: ${heading}`));
      const question = el('p', {}, t('Wilt u deze deling stoppen? Wie ze gebruikt, ziet vanaf nu niets meer.',
        'Stop this share? Whoever uses it sees nothing from now on.'));
      const confirm = el('button', { type: 'button', className: 'button button--primary', 'data-testid': 'share-revoke-confirm' }, t('Ja, stoppen', 'Yes, stop'));
      const keep = el('button', { type: 'button', className: 'button' }, t('Nee, behouden', 'No, keep it'));
      const message = el('p', { className: 'field__error', role: 'alert', hidden: true });
      const confirmBox = el('div', { className: 'share__confirm', hidden: true }, question, el('div', { className: 'form-actions' }, confirm, keep), message);
      ask.addEventListener('click', () => {
        ask.hidden = true;
        confirmBox.hidden = false;
        confirm.focus();
      });
      keep.addEventListener('click', () => {
        confirmBox.hidden = true;
        ask.hidden = false;
        ask.focus();
      });
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        let result;
        try {
          result = await ui.send('DELETE', `${sharesUrl(dwelling)}/${encodeURIComponent(share.id)}`);
        } catch {
          result = { status: 0 };
        }
        confirm.disabled = false;
        if (result.status !== 204) {
          message.textContent = ui.failureText(result);
          message.hidden = false;
          return;
        }
        ui.announce(t('De deling is gestopt.', 'The share has been stopped.'));
        await refresh(true);
      });
      box.append(ask, confirmBox);
      return box;
    }

    async function refresh(focusList = false) {
      list.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await ui.getJson(sharesUrl(dwelling));
      } catch {
        result = { status: 0, body: null };
      }
      list.setAttribute('aria-busy', 'false');
      if (result.status !== 200 || !Array.isArray(result.body?.shares)) {
        list.replaceChildren(el('p', { className: 'muted' }, ui.failureText(result)));
        list.dataset.state = 'error';
        return;
      }
      const shares = result.body.shares;
      list.replaceChildren(shares.length === 0
        ? el('p', { className: 'muted' }, t('U deelt deze woningpas met niemand.', 'You do not share this passport with anyone.'))
        : el('ul', { className: 'share-items' }, shares.map(shareItem)));
      list.dataset.state = 'ready';
      if (focusList) {
        listHeading.focus();
      }
    }

    // Submitting -------------------------------------------------------------------------------------------------
    function setError(name, message) {
      const node = errors[name];
      node.textContent = message ?? '';
      node.hidden = !message;
      const input = name === 'email' ? email : name === 'expires' ? expires : null;
      if (input) {
        if (message) {
          input.setAttribute('aria-invalid', 'true');
        } else {
          input.removeAttribute('aria-invalid');
        }
      }
    }

    function validate(request) {
      const found = {};
      if (request.sections.length === 0) {
        found.sections = t('Kies minstens één onderdeel.', 'Choose at least one section.');
      }
      if (!request.link && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(request.recipientEmail ?? '')) {
        found.email = t('Geef een geldig e-mailadres, zoals naam@voorbeeld.be.', 'Give a valid e-mail address, such as name@example.com.');
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(request.expiresOn) || request.expiresOn < today || request.expiresOn > latest) {
        found.expires = t(`Kies een datum van vandaag tot en met ${ui.formatDate(latest)}.`, `Choose a date from today to ${ui.formatDate(latest)}.`);
      }
      return found;
    }

    /** The Api's field errors, in the page's words: its own texts are for developers. */
    function apiErrors(problem) {
      const fields = problem?.errors ?? {};
      const found = {};
      if (fields.sections) {
        found.sections = t('Kies minstens één geldig onderdeel.', 'Choose at least one valid section.');
      }
      if (fields.recipientEmail) {
        found.email = t('Geef een geldig e-mailadres.', 'Give a valid e-mail address.');
      }
      if (fields.expiresOn) {
        found.expires = t(`Kies een datum van vandaag tot en met ${ui.formatDate(latest)}.`, `Choose a date from today to ${ui.formatDate(latest)}.`);
      }
      return found;
    }

    function showErrors(found) {
      for (const name of Object.keys(errors)) {
        setError(name, found[name]);
      }
      const names = Object.keys(found);
      if (names.length === 0) {
        formError.hidden = true;
        return false;
      }
      formError.replaceChildren(
        el('p', { className: 'form-message__title' }, t('De deling werd niet gemaakt', 'The share was not made')),
        el('ul', {}, names.map((name) => el('li', {}, found[name]))));
      formError.hidden = false;
      formError.focus();
      return true;
    }

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const request = {
        sections: sectionBoxes.map((label) => label.querySelector('input')).filter((box) => box.checked).map((box) => box.value),
        expiresOn: expires.value,
      };
      if (viaLink.checked) {
        request.link = true;
      } else {
        request.recipientEmail = email.value.trim();
      }
      if (showErrors(validate(request))) {
        return;
      }

      submit.disabled = true;
      form.setAttribute('aria-busy', 'true');
      let result;
      try {
        result = await ui.send('POST', sharesUrl(dwelling), { json: request });
      } catch {
        result = { status: 0, problem: null };
      }
      submit.disabled = false;
      form.setAttribute('aria-busy', 'false');

      if (result.status === 400) {
        showErrors(apiErrors(result.problem));
        return;
      }
      if (result.status !== 201 || !result.body) {
        formError.replaceChildren(el('p', {}, ui.failureText(result)));
        formError.hidden = false;
        formError.focus();
        return;
      }

      form.reset();
      expires.value = addDays(today, 30);
      syncKind();
      showErrors({});
      if (result.body.linkUrl) {
        showLink(new URL(result.body.linkUrl, window.location.origin).href);
        ui.announce(t('De deellink is gemaakt. Kopieer hem nu: hij wordt maar één keer getoond.',
          'The share link has been made. Copy it now: it is shown only once.'));
      } else {
        ui.announce(t('De woningpas is gedeeld.', 'The passport has been shared.'));
      }
      await refresh();
    });

    const listHeading = el('h4', { id: id('list-title'), tabindex: '-1' }, t('Uw delingen', 'Your shares'));
    const panel = el('section', { className: 'panel sharing', 'aria-labelledby': id('title'), 'data-testid': 'sharing' },
      el('h3', { id: id('title') }, t('Delen met anderen', 'Share with others')),
      el('p', {}, t('Deel onderdelen van deze woningpas met bijvoorbeeld uw notaris, makelaar of een koper. Elke keer dat zij de gegevens openen, ziet u dat hieronder en in "Wie zag mijn gegevens?".',
        'Share sections of this passport with, for example, your notary, estate agent or a buyer. Every time they open the data, you see it below and under "Who saw my data?".')),
      form, linkBox, listHeading, list);
    container.append(panel);
    refresh();
  }

  return { mount };
}
