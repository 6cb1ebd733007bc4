// Finding things in the UI the way a person does: by the text on a button, the
// label of a field, the words on the screen. data-testid is used only where the
// brief names one (lists, search boxes, the language switch).

import { app, WAIT_MS } from './app.mjs';

// The functions passed to browser.execute() run in the page and are serialised
// on their own, so each one carries its own small helpers.

/** Turn whatever `execute` returned for a DOM node into a WebdriverIO element. */
async function toElement(browser, ref) {
  if (!ref) return null;
  if (typeof ref.elementId === 'string') return ref; // already an element
  return browser.$(ref);
}

/**
 * Click an element, retrying for a while when something else is on top of it
 * (a dialog still sliding in, a toast) or it cannot be clicked yet.
 */
export async function safeClick(el, { timeout = WAIT_MS } = {}) {
  const deadline = Date.now() + timeout;
  // First wait until the element is what a click at its centre would hit.
  await app().waitUntil(() => app().execute((n) => {
    if (!n.isConnected) return true; // let click() report it
    n.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = n.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === n || n.contains(hit) || (hit.control && hit.control === n));
  }, el), { timeout, timeoutMsg: `the element stayed covered for ${timeout} ms` }).catch(() => {});
  for (;;) {
    try {
      await el.click();
      return;
    } catch (err) {
      const retriable = /intercepted|not interactable|obscured|stale/i.test(String(err && err.message));
      if (!retriable || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Poll `find` (a function run in the page with `arg`) until it returns a node. */
async function waitForNode(find, arg, what, timeout = WAIT_MS) {
  const browser = app();
  let ref = null;
  await browser.waitUntil(async () => {
    ref = await browser.execute(find, arg);
    return !!ref;
  }, { timeout, timeoutMsg: `not found within ${timeout} ms: ${what}` });
  return toElement(browser, ref);
}

/** The element with this data-testid (waits until it exists). */
export async function byTestId(id, { timeout = WAIT_MS } = {}) {
  const el = await app().$(`[data-testid="${id}"]`);
  await el.waitForExist({ timeout, timeoutMsg: `no element with data-testid="${id}" within ${timeout} ms` });
  return el;
}

/** Whether an element with this data-testid exists right now. */
export async function hasTestId(id) {
  return app().$(`[data-testid="${id}"]`).isExisting();
}

/**
 * The visible form field whose accessible label is exactly `text` (ignoring
 * runs of white space and a trailing "*" or ":"): a <label for>, a <label>
 * wrapping the field, aria-labelledby, or aria-label.
 */
export async function byLabel(text, { timeout = WAIT_MS } = {}) {
  return waitForNode((wanted) => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ').replace(/[\s*:：]+$/u, '').trim();
    const want = norm(wanted);
    const FIELD = 'input:not([type=hidden]), textarea, select, [contenteditable="true"], [role="textbox"], [role="combobox"], [role="spinbutton"]';
    const visible = (el) => !!el && el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== 'hidden';
    const labelText = (label) => {
      const copy = label.cloneNode(true);
      copy.querySelectorAll(`${FIELD}, [role="alert"], [aria-live]`).forEach((n) => n.remove());
      return norm(copy.textContent);
    };
    const found = [];
    for (const label of document.querySelectorAll('label')) {
      if (labelText(label) !== want) continue;
      const field = label.control
        || (label.htmlFor && document.getElementById(label.htmlFor))
        || label.querySelector(FIELD);
      if (field) found.push(field);
    }
    for (const field of document.querySelectorAll(FIELD)) {
      const ids = (field.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      if (ids.length) {
        const name = norm(ids.map((id) => document.getElementById(id)?.textContent || '').join(' '));
        if (name === want) found.push(field);
      }
      if (norm(field.getAttribute('aria-label')) === want) found.push(field);
    }
    return found.find(visible) || null;
  }, text, `field labelled "${text}"`, timeout);
}

/** Click the visible, enabled button whose text (or aria-label) is exactly `text`. */
export async function clickButton(text, { timeout = WAIT_MS } = {}) {
  const el = await waitForNode((wanted) => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const want = norm(wanted);
    const candidates = document.querySelectorAll(
      'button, [role="button"], input[type="submit"], input[type="button"], a[role="menuitem"], [role="menuitem"], [role="tab"], [role="option"]',
    );
    for (const el of candidates) {
      const names = [el.innerText, el.getAttribute('aria-label'), el.value, el.title].map(norm);
      if (!names.includes(want)) continue;
      if (el.getClientRects().length === 0 || el.disabled || el.getAttribute('aria-disabled') === 'true') continue;
      return el;
    }
    return null;
  }, text, `enabled button "${text}"`, timeout);
  await safeClick(el, { timeout });
  return el;
}

/** Click the element with this data-testid once it is displayed and enabled. */
export async function clickTestId(id, { timeout = WAIT_MS } = {}) {
  const el = await byTestId(id, { timeout });
  await el.waitForDisplayed({ timeout });
  await el.waitForEnabled({ timeout });
  await safeClick(el, { timeout });
  return el;
}

/** Wait until `text` is visible in the window (or inside the element with data-testid `within`). */
export async function waitForText(text, { within, timeout = WAIT_MS } = {}) {
  const browser = app();
  await browser.waitUntil(() => browser.execute((wanted, testId) => {
    const root = testId ? document.querySelector(`[data-testid="${testId}"]`) : document.body;
    if (!root) return false;
    const norm = (s) => (s || '').replace(/\s+/g, ' ');
    return norm(root.innerText).includes(norm(wanted));
  }, text, within || null), {
    timeout,
    timeoutMsg: `text "${text}" did not appear${within ? ` in [data-testid="${within}"]` : ''} within ${timeout} ms`,
  });
}

/** Whether `text` is visible in the window (or inside data-testid `within`) right now. */
export async function hasText(text, { within } = {}) {
  return app().execute((wanted, testId) => {
    const root = testId ? document.querySelector(`[data-testid="${testId}"]`) : document.body;
    if (!root) return false;
    const norm = (s) => (s || '').replace(/\s+/g, ' ');
    return norm(root.innerText).includes(norm(wanted));
  }, text, within || null);
}

/** Replace the value of a field by typing, as a user would. */
export async function fill(el, value) {
  const browser = app();
  await el.waitForDisplayed();
  await safeClick(el);
  if ((await el.getValue()) !== '') {
    await browser.keys(['Control', 'a']);
    await browser.keys(['Backspace']);
  }
  if (value !== '') await el.addValue(value);
  const got = await el.getValue();
  if (got !== value) throw new Error(`typed "${value}" but the field holds "${got}"`);
}

/**
 * The text of the rows (tr or role=row, header rows left out) of the table or
 * grid with this data-testid; [] when it is not on screen.
 */
export async function tableRows(testId) {
  return app().execute((id) => {
    const table = document.querySelector(`[data-testid="${id}"]`);
    if (!table) return [];
    const rows = [...table.querySelectorAll('tr, [role="row"]')]
      .filter((r) => !r.closest('thead') && !r.querySelector('th, [role="columnheader"]'));
    return rows.map((r) => r.innerText.replace(/\s+/g, ' ').trim()).filter(Boolean);
  }, testId);
}

/** Wait until a row of the table with data-testid `testId` contains every one of `texts`. */
export async function waitForRow(testId, texts, { timeout = WAIT_MS } = {}) {
  const wanted = Array.isArray(texts) ? texts : [texts];
  let row;
  await app().waitUntil(async () => {
    row = (await tableRows(testId)).find((r) => wanted.every((t) => r.includes(t)));
    return !!row;
  }, { timeout, timeoutMsg: `no row with ${JSON.stringify(wanted)} in [data-testid="${testId}"] within ${timeout} ms` });
  return row;
}

/**
 * What the UI says about one field: aria-invalid, and the text of the error
 * shown next to it (aria-errormessage / aria-describedby targets, or an alert
 * or error element inside the field's own wrapper). `field` is an element or
 * the text of its label (found afresh each time, so a re-rendered form is fine).
 */
export async function fieldError(field) {
  const el = typeof field === 'string' ? await byLabel(field) : field;
  return app().execute((field) => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const seen = new Set();
    const texts = [];
    const add = (n) => {
      if (!n || seen.has(n) || n.getClientRects().length === 0) return;
      seen.add(n);
      const t = norm(n.innerText);
      if (t) texts.push(t);
    };
    const byIds = (attr) => (field.getAttribute(attr) || '').split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id));
    byIds('aria-errormessage').forEach(add);
    const described = byIds('aria-describedby');
    // Walk up to the largest wrapper that still holds only this one field.
    const FIELDS = 'input:not([type=hidden]), textarea, select';
    let box = field;
    while (box.parentElement && box.parentElement !== document.body
      && box.parentElement.querySelectorAll(FIELDS).length <= 1) {
      box = box.parentElement;
    }
    const ERR = '[role="alert"], [aria-live="assertive"], [aria-live="polite"], [data-error], [class*="error" i], [class*="invalid" i]';
    box.querySelectorAll(ERR).forEach((n) => { if (n !== field && !n.contains(field)) add(n); });
    described.filter((n) => n && (n.matches(ERR) || n.closest(ERR))).forEach(add);
    return {
      invalid: field.getAttribute('aria-invalid') === 'true' || field.matches(':invalid'),
      text: texts.join(' | '),
      described: described.filter(Boolean).map((n) => norm(n.innerText)).join(' | '),
    };
  }, el);
}

/** The language the UI shows now: 'fa' or 'en' (html lang, else direction, else script). */
export async function uiLanguage() {
  return app().execute(() => {
    const lang = (document.documentElement.lang || '').toLowerCase();
    if (lang.startsWith('fa')) return 'fa';
    if (lang.startsWith('en')) return 'en';
    const dir = document.documentElement.dir || document.body.dir
      || document.querySelector('[dir]')?.getAttribute('dir');
    if (dir === 'rtl') return 'fa';
    if (dir === 'ltr') return 'en';
    return /[\u0600-\u06FF]/.test(document.body.innerText) ? 'fa' : 'en';
  });
}

/** Switch the UI language with the data-testid "lang-switch" control (a select, a toggle or a menu). */
export async function setLanguage(lang, { timeout = WAIT_MS } = {}) {
  const browser = app();
  const sw = await byTestId('lang-switch', { timeout });
  // The UI may settle its language once its saved settings have loaded: wait
  // until the reading holds still before deciding to switch.
  let seen = await uiLanguage();
  for (let i = 0; i < 20; i += 1) {
    await browser.pause(150);
    const now = await uiLanguage();
    if (now === seen) break;
    seen = now;
  }
  if (seen === lang) return;
  const names = lang === 'en' ? ['English', 'EN', 'En', 'en'] : ['فارسی', 'FA', 'Fa', 'fa', 'Persian'];
  if ((await sw.getTagName()).toLowerCase() === 'select') {
    const values = await browser.execute((s) => [...s.options].map((o) => [o.value, o.text.trim()]), sw);
    const opt = values.find(([v, t]) => v.toLowerCase().startsWith(lang) || names.includes(t));
    if (!opt) throw new Error(`lang-switch has no option for "${lang}": ${JSON.stringify(values)}`);
    await sw.selectByAttribute('value', opt[0]);
  } else {
    await safeClick(sw);
    // A toggle switches at once; a menu shows the choices first.
    await browser.pause(300);
    if ((await uiLanguage()) !== lang) {
      let clicked = false;
      for (const name of names) {
        try {
          await clickButton(name, { timeout: 500 });
          clicked = true;
          break;
        } catch { /* try the next spelling */ }
      }
      if (!clicked && (await uiLanguage()) !== lang) await safeClick(sw); // a cycling toggle
    }
  }
  await browser.waitUntil(async () => (await uiLanguage()) === lang, {
    timeout, timeoutMsg: `the UI did not switch to "${lang}" within ${timeout} ms`,
  });
}

/** The computed text direction of an element ('rtl' or 'ltr'). */
export async function direction(el) {
  return app().execute((n) => getComputedStyle(n).direction, el);
}

/**
 * Make sure a section's screen is shown: when its "<section>-new" button is not
 * on screen, click the navigation entry with data-testid "nav-<section>".
 */
export async function openSection(section, { timeout = WAIT_MS } = {}) {
  const marker = app().$(`[data-testid="${section}-new"]`);
  if (await marker.isExisting()) return;
  if (await hasTestId(`nav-${section}`)) await clickTestId(`nav-${section}`, { timeout });
  await marker.waitForExist({
    timeout,
    timeoutMsg: `the ${section} screen (data-testid "${section}-new") is not shown, and no data-testid "nav-${section}" leads to it`,
  });
}

/**
 * Type `text` into a search-as-you-type combobox and choose the option that
 * contains `optionText` with the keyboard (arrows, Enter), as a user would —
 * but only once the list answers the whole typed text (aria-busy is false),
 * so a list still re-rendering for an earlier keystroke is never chosen from.
 */
export async function pickOption(input, text, optionText = text, { timeout = WAIT_MS } = {}) {
  const browser = app();
  await fill(input, text);
  const listId = await input.getAttribute('aria-controls');
  let index = -1;
  await browser.waitUntil(async () => {
    index = await browser.execute((id, wanted) => {
      const list = document.getElementById(id);
      if (!list || list.getAttribute('aria-busy') === 'true') return -1;
      return [...list.querySelectorAll('[role="option"]')].findIndex((o) => o.innerText.includes(wanted));
    }, listId, optionText);
    return index >= 0;
  }, { timeout, timeoutMsg: `"${optionText}" was not offered for "${text}" within ${timeout} ms` });
  const wantedId = await browser.execute((id, i) => document.getElementById(id).querySelectorAll('[role="option"]')[i].id, listId, index);
  for (let step = 0; step < 50 && (await input.getAttribute('aria-activedescendant')) !== wantedId; step++) {
    await browser.keys(['ArrowDown']);
  }
  if ((await input.getAttribute('aria-activedescendant')) !== wantedId) {
    throw new Error(`could not move to "${optionText}" with the arrow keys`);
  }
  await browser.keys(['Enter']);
  await browser.waitUntil(async () => (await input.getAttribute('aria-expanded')) !== 'true', {
    timeout, timeoutMsg: `the list stayed open after choosing "${optionText}"`,
  });
}
