// The "Play a user" view: pick a user and one of their chats (a private chat with a bot, or a
// group), see it as Telegram shows it (formatting, inline and reply keyboards, service messages),
// write, press buttons, use invite links, leave groups, block bots. Everything goes through the control
// plane as that user; the conversation is refetched when an event names it.
//
// Nothing the server sends is ever parsed as HTML: every node is built with createElement and
// textContent.
import { control, listPage } from './api.js';

const $ = (id) => document.getElementById(id);
const PAGE = 100;
const ANSWER_WAIT_MS = 16000; // a query can be answered within 15 s of the press

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(text, onClick, className) {
  const b = el('button', text, className);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function userName(u) {
  if (!u) return 'Deleted account';
  return [u.first_name, u.last_name].filter(Boolean).join(' ') || `#${u.id}`;
}

// A link only to a web address (or mail, phone, t.me): never javascript: or data:.
function safeHref(url) {
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'mailto:', 'tel:', 'tg:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

function link(href, className) {
  const safe = safeHref(href);
  if (!safe) return el('span', undefined, className);
  const a = el('a', undefined, className);
  a.href = safe;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

// The node of one entity; its text (and nested entities) go inside `.inner` or the node itself.
function entityNode(e, text, actions) {
  switch (e.type) {
    case 'bold': return el('b');
    case 'italic': return el('i');
    case 'underline': return el('u');
    case 'strikethrough': return el('s');
    case 'code': return el('code');
    case 'pre': {
      const pre = el('pre');
      const code = el('code');
      if (e.language) code.dataset.language = e.language;
      pre.append(code);
      pre.inner = code;
      return pre;
    }
    case 'blockquote': case 'expandable_blockquote': return el('blockquote');
    case 'spoiler': {
      const s = el('span', undefined, 'spoiler');
      s.tabIndex = 0;
      s.setAttribute('role', 'button');
      s.setAttribute('aria-label', 'Spoiler: show');
      const reveal = () => {
        s.classList.add('revealed');
        s.removeAttribute('role');
        s.removeAttribute('aria-label');
        s.removeAttribute('tabindex');
      };
      s.addEventListener('click', reveal);
      s.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); reveal(); }
      });
      return s;
    }
    case 'text_link': return link(e.url, 'text-link');
    case 'url': return link(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
    case 'email': return link(`mailto:${text}`);
    case 'phone_number': return link(`tel:${text.replace(/[^0-9+]/g, '')}`);
    case 'mention': return link(`https://t.me/${text.slice(1)}`, 'mention');
    case 'text_mention': {
      const s = el('span', undefined, 'mention');
      if (e.user) s.title = `${userName(e.user)} (${e.user.id})`;
      return s;
    }
    case 'bot_command': {
      // As in Telegram, a command in a message sends it when clicked.
      const b = button(undefined, () => actions.send(text), 'command');
      return b;
    }
    default: return el('span', undefined, `entity-${e.type}`); // hashtag, cashtag, custom_emoji...
  }
}

// The text with its entities, as nodes. Offsets and lengths are in UTF-16 code units, which is
// what JavaScript strings index. Entities may nest but not cross; a crossing one is cut short.
export function renderText(text, entities = [], actions = {}) {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const fragment = document.createDocumentFragment();
  let i = 0;
  const build = (parent, start, end) => {
    let pos = start;
    while (i < sorted.length && sorted[i].offset < end) {
      const e = sorted[i++];
      if (e.offset < pos || e.length <= 0) continue;
      if (e.offset > pos) parent.append(text.slice(pos, e.offset));
      const stop = Math.min(e.offset + e.length, end);
      const node = entityNode(e, text.slice(e.offset, stop), actions);
      build(node.inner ?? node, e.offset, stop);
      parent.append(node);
      pos = stop;
    }
    if (pos < end) parent.append(text.slice(pos, end));
  };
  build(fragment, 0, text.length);
  return fragment;
}

// A service message's sentence, or null for an ordinary message.
function serviceText(m) {
  const who = userName(m.from);
  if (m.new_chat_members) {
    const joined = m.new_chat_members.map(userName).join(', ');
    const self = m.new_chat_members.length === 1 && m.new_chat_members[0].id === m.from?.id;
    return self ? `${who} joined the group` : `${who} added ${joined}`;
  }
  if (m.left_chat_member) {
    return m.left_chat_member.id === m.from?.id
      ? `${who} left the group`
      : `${who} removed ${userName(m.left_chat_member)}`;
  }
  if (m.migrate_to_chat_id) return 'The group was upgraded to a supergroup';
  if (m.migrate_from_chat_id) return 'The supergroup was made from a group';
  if (m.pinned_message) {
    const pinned = m.pinned_message.text ?? m.pinned_message.caption;
    return pinned ? `${who} pinned “${pinned}”` : `${who} pinned a message`;
  }
  if (m.text === undefined && m.caption === undefined) return `${who}: a message the console does not show`;
  return null;
}

// The first `shown` records of a listing, a page of up to 1000 at a time: {items, next}.
async function pages(path, shown) {
  const items = [];
  let next = null;
  do {
    const page = await listPage(path, next, Math.min(1000, shown - items.length));
    items.push(...page.items);
    next = page.next_after ?? null;
  } while (next !== null && items.length < shown);
  return { items, next };
}

function timeOf(date) {
  const d = new Date(date * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

const IN_CHAT = ['creator', 'administrator', 'member', 'restricted'];
const DEFAULT_PLACEHOLDER = 'Message (Enter sends, Shift+Enter a new line)';
// A reply keyboard's buttons that ask the user's app for something the console does not simulate.
const REQUESTS = ['request_contact', 'request_location', 'request_poll', 'web_app', 'request_users',
  'request_chat', 'request_managed_bot'];
// How the picker names a member record that is not (or no longer) in the chat.
const RECORD_NOTES = { left: 'left', kicked: 'banned' };
const STATES = {
  creator: 'You are the creator',
  administrator: 'You are an administrator',
  member: 'You are a member',
  restricted: 'You are a restricted member',
  kicked: 'You are banned from this chat',
};

export class PlayView {
  constructor() {
    this.userId = null;
    this.users = [];
    this.usersNext = null;
    this.bots = [];
    this.chats = [];
    this.chatsNext = null;
    // The picked user's chats (GET users/{id}/chats): {private_chats, chats}; null until known.
    this.mine = null;
    this.minePending = null; // the user id whose chats are being fetched
    // The one-time reply keyboards this page's user pressed a button of, as
    // "user:kind:chat:message_id": Telegram hides such a keyboard after the press, and the
    // server does not record presses (a pressed button is an ordinary message).
    this.usedKeyboards = new Set();
    this.open = null; // {kind: 'bot'|'chat', id, title}
    this.nodes = new Map(); // message id -> {json, node} of the open conversation
    this.query = null; // the pressed button waiting for its answer: {id, node, timer}
    this.joinWait = null; // {chatId, title, chat}: this user's join request waiting for a decision
    this.pending = new Set();
    this.timer = null;
    this.fetches = 0; // refetches started: only the latest one's answer is drawn

    $('play-user').addEventListener('change', () => this.pickUser());
    $('play-chat').addEventListener('change', () => this.pickChat());
    $('play-users-more').addEventListener('click', () => this.moreUsers());
    $('play-chats-more').addEventListener('click', () => this.moreChats());
    $('play-send').addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendTyped();
    });
    $('play-text').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendTyped();
      }
    });
    $('play-join').addEventListener('submit', (e) => {
      e.preventDefault();
      this.join();
    });
    $('play-leave').addEventListener('click', () => this.leave());
    $('play-block').addEventListener('click', () => this.block(true));
    $('play-unblock').addEventListener('click', () => this.block(false));
    $('play-alert-ok').addEventListener('click', () => this.closeAlert());
    $('play-alert').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.closeAlert();
    });
  }

  // Forgets the picked user and chat (signed out).
  reset() {
    this.userId = null;
    if (this.query) clearTimeout(this.query.timer);
    this.query = null;
    this.joinWait = null;
    this.mine = null;
    this.closeChat();
    $('play-join-result').textContent = '';
    $('play-join-fieldset').disabled = true;
  }

  // Users, bots and chats for the pickers (as many as were shown, at least a page; every bot),
  // and the open conversation again.
  async load(what = new Set(['users', 'bots', 'chats'])) {
    const work = [];
    if (what.has('users')) {
      work.push(pages('users', Math.max(this.users.length, PAGE)).then(({ items, next }) => {
        this.users = items;
        this.usersNext = next;
        this.drawUsers();
      }));
    }
    if (what.has('chats')) {
      work.push(pages('chats', Math.max(this.chats.length, PAGE)).then(({ items, next }) => {
        this.chats = items;
        this.chatsNext = next;
      }));
    }
    if (what.has('bots')) {
      work.push(pages('bots', 10000).then(({ items }) => { this.bots = items; }));
    }
    if (what.has('mine') || what.has('chats')) work.push(this.fetchMine());
    await Promise.all(work);
    if (what.has('chats') || what.has('bots') || what.has('mine')) this.drawChats();
    if (this.open) await this.refetch();
  }

  // The picked user's private chats and member records, for the Chat picker and the blocked
  // state. A failure leaves the picker with every bot and chat, as before it was known.
  async fetchMine() {
    const userId = this.userId;
    if (userId === null) return;
    this.minePending = userId;
    try {
      const mine = await control(`users/${userId}/chats`);
      if (this.userId === userId) this.mine = mine;
    } catch (e) {
      if (this.userId === userId) $('play-error').textContent = e.message;
    } finally {
      if (this.minePending === userId) this.minePending = null;
    }
  }

  async moreUsers() {
    if (this.usersNext === null) return;
    const page = await listPage('users', this.usersNext, PAGE);
    this.users.push(...page.items);
    this.usersNext = page.next_after ?? null;
    this.drawUsers();
  }

  async moreChats() {
    if (this.chatsNext === null) return;
    const page = await listPage('chats', this.chatsNext, PAGE);
    this.chats.push(...page.items);
    this.chatsNext = page.next_after ?? null;
    this.drawChats();
  }

  drawUsers() {
    const select = $('play-user');
    const first = new Option('Choose a user…', '');
    const options = this.users.map((u) => {
      const o = new Option(`${userName(u)}${u.username ? ` @${u.username}` : ''} (${u.id})`, String(u.id));
      return o;
    });
    if (this.userId !== null && !this.users.some((u) => u.id === this.userId)) {
      options.push(new Option(`#${this.userId}`, String(this.userId)));
    }
    select.replaceChildren(first, ...options);
    select.value = this.userId === null ? '' : String(this.userId);
    $('play-users-more').hidden = this.usersNext === null;
  }

  // The Chat picker: the picked user's groups and channels first (every member record, with a
  // note when the user is out of it), then a private chat with every bot (blocked ones said so),
  // then the other chats of the listing.
  drawChats() {
    const select = $('play-chat');
    const records = this.mine?.chats ?? [];
    const mineIds = new Set(records.map((c) => c.chat_id));
    const privates = new Map((this.mine?.private_chats ?? []).map((p) => [p.bot_id, p]));
    const yours = el('optgroup');
    yours.label = 'Your groups and channels';
    yours.append(...records.map((c) => {
      const note = RECORD_NOTES[c.status] ? `, ${RECORD_NOTES[c.status]}` : '';
      return new Option(`${c.title} (${c.type}${note})`, `chat:${c.chat_id}`);
    }));
    const bots = el('optgroup');
    bots.label = 'Private chats with bots';
    bots.append(...this.bots.map((b) => {
      const note = privates.get(b.id)?.blocked ? ' (blocked)' : '';
      return new Option(`${userName(b)} @${b.username}${note}`, `bot:${b.id}`);
    }));
    const groups = el('optgroup');
    groups.label = records.length ? 'Other groups and channels' : 'Groups and channels';
    groups.append(...this.chats.filter((c) => !mineIds.has(c.id))
      .map((c) => new Option(`${c.title} (${c.type})`, `chat:${c.id}`)));
    const parts = [new Option('Choose a chat…', '')];
    if (records.length) parts.push(yours);
    parts.push(bots, groups);
    select.replaceChildren(...parts);
    if (this.open && ![...select.options].some((o) => o.value === `${this.open.kind}:${this.open.id}`)) {
      select.append(new Option(this.open.title, `${this.open.kind}:${this.open.id}`));
    }
    select.value = this.open ? `${this.open.kind}:${this.open.id}` : '';
    select.disabled = this.userId === null;
    $('play-chats-more').hidden = this.chatsNext === null;
  }

  pickUser() {
    const value = $('play-user').value;
    this.userId = value ? Number(value) : null;
    $('play-chat').disabled = this.userId === null;
    $('play-join-fieldset').disabled = this.userId === null;
    $('play-join-result').textContent = '';
    this.joinWait = null;
    this.mine = null;
    this.drawChats();
    if (this.userId !== null) {
      this.fetchMine().then(() => this.drawChats()).catch(() => {});
    }
    if (this.open && this.userId !== null) this.openChat(this.open);
    else this.closeChat();
  }

  pickChat() {
    const [kind, id] = $('play-chat').value.split(':');
    if (!kind) return this.closeChat();
    const chatId = Number(id);
    const record = this.mine?.chats.find((c) => c.chat_id === chatId);
    const listed = this.chats.find((c) => c.id === chatId);
    const title = kind === 'bot'
      ? userName(this.bots.find((b) => b.id === chatId))
      : listed?.title ?? record?.title ?? String(chatId);
    const type = kind === 'chat' ? listed?.type ?? record?.type : 'private';
    this.openChat({ kind, id: chatId, title, type });
  }

  // Opens a chat of the picked user (also one not in the pickers' pages, e.g. after a join).
  async openChat(chat) {
    if (this.userId === null) return;
    this.open = chat;
    this.fresh = true;
    this.nodes.clear();
    $('play-messages').replaceChildren();
    $('play-keyboard').replaceChildren();
    $('play-keyboard').hidden = true;
    $('play-text').placeholder = DEFAULT_PLACEHOLDER;
    $('play-answer').textContent = '';
    $('play-error').textContent = '';
    $('play-conv').hidden = false;
    $('play-title').textContent = chat.kind === 'bot' ? `${chat.title} (bot)` : chat.title;
    $('play-leave').hidden = chat.kind !== 'chat';
    $('play-block').hidden = chat.kind !== 'bot';
    $('play-unblock').hidden = chat.kind !== 'bot';
    $('play-state').textContent = '';
    if (chat.kind === 'bot') this.drawBlocked();
    const select = $('play-chat');
    const value = `${chat.kind}:${chat.id}`;
    if (![...select.options].some((o) => o.value === value)) {
      select.append(new Option(chat.title, value));
    }
    select.value = value;
    await this.refetch();
  }

  closeChat() {
    this.open = null;
    this.nodes.clear();
    $('play-conv').hidden = true;
    $('play-chat').value = '';
  }

  // The open conversation and, for a group, the user's status in it.
  async refetch() {
    const open = this.open;
    const userId = this.userId;
    if (!open || userId === null) return;
    // Answers may come back out of order: an older one must not be drawn over a newer one.
    const seq = ++this.fetches;
    const stale = () => seq !== this.fetches || this.open !== open || this.userId !== userId;
    try {
      if (open.kind === 'bot') {
        // The private chat's state comes with it: it may have changed elsewhere (another
        // window, a test through the control plane), which a private_chat event tells.
        const [messages, mine] = await Promise.all([
          control(`users/${userId}/chats/${open.id}/messages`),
          control(`users/${userId}/chats`),
        ]);
        if (stale()) return;
        const blockedBefore = this.blockedBots();
        this.mine = mine;
        this.drawMessages(messages);
        this.drawBlocked();
        if (this.blockedBots() !== blockedBefore) this.drawChats();
      } else {
        const [messages, member] = await Promise.all([
          control(`chats/${open.id}/messages`),
          control(`chats/${open.id}/members/${userId}`),
        ]);
        if (stale()) return;
        this.drawMessages(messages);
        const state = STATES[member.status] ?? 'You are not in this chat';
        $('play-state').textContent = state;
        $('play-leave').hidden = !IN_CHAT.includes(member.status);
      }
    } catch (e) {
      if (!stale()) $('play-error').textContent = e.message;
    }
  }

  // Draws the messages, reusing the node of every message that did not change (so a focused
  // button keeps its focus), and stays at the bottom if it was there.
  drawMessages(messages) {
    const list = $('play-messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const wanted = [];
    const seen = new Set();
    for (const m of messages) {
      const json = JSON.stringify(m);
      let entry = this.nodes.get(m.message_id);
      if (!entry || entry.json !== json) {
        entry = { json, node: this.messageNode(m) };
        const old = this.nodes.get(m.message_id);
        if (old) old.node.remove();
        this.nodes.set(m.message_id, entry);
      }
      seen.add(m.message_id);
      wanted.push(entry.node);
    }
    for (const [id, entry] of this.nodes) {
      if (!seen.has(id)) {
        entry.node.remove();
        this.nodes.delete(id);
      }
    }
    wanted.forEach((node, i) => {
      if (list.children[i] !== node) list.insertBefore(node, list.children[i] ?? null);
    });
    if (messages.length === 0) list.replaceChildren(this.emptyNode());
    else list.querySelector('.play-empty')?.remove();
    this.drawReplyKeyboard(messages);
    if (atBottom || this.fresh) list.scrollTop = list.scrollHeight;
    this.fresh = false;
  }

  // An empty chat; with a bot, a Start button as Telegram shows (it sends /start).
  emptyNode() {
    const li = el('li', undefined, 'play-empty');
    if (this.open?.kind !== 'bot') {
      li.textContent = 'No messages yet.';
      return li;
    }
    li.append(el('p', 'No messages yet.'), button('Start', () => this.send('/start'), 'kb-button'));
    return li;
  }

  messageNode(m) {
    const service = serviceText(m);
    if (service !== null) {
      const li = el('li', undefined, 'play-service');
      li.append(el('span', service));
      return li;
    }
    const mine = m.from?.id === this.userId;
    const li = el('li', undefined, `play-msg ${mine ? 'mine' : 'theirs'}`);
    li.dataset.messageId = String(m.message_id);
    const bubble = el('div', undefined, 'bubble');
    const sender = m.sender_chat ? m.sender_chat.title : userName(m.from);
    bubble.append(el('div', m.from?.is_bot ? `${sender} (bot)` : sender, 'sender'));
    if (m.reply_to_message) {
      const r = m.reply_to_message;
      const quote = el('div', undefined, 'reply-to');
      quote.append(el('span', userName(r.from), 'sender'), el('span', r.text ?? r.caption ?? serviceText(r) ?? ''));
      bubble.append(quote);
    }
    const text = el('div', undefined, 'text');
    const actions = { send: (t) => this.send(t) };
    text.append(renderText(m.text ?? m.caption ?? '', m.entities ?? m.caption_entities ?? [], actions));
    bubble.append(text);
    bubble.append(el('div', `${m.edit_date ? 'edited ' : ''}${timeOf(m.date)}`, 'meta'));
    li.append(bubble);
    const rows = m.reply_markup?.inline_keyboard;
    if (rows?.length) li.append(this.inlineKeyboard(m, rows));
    return li;
  }

  inlineKeyboard(m, rows) {
    const box = el('div', undefined, 'inline-keyboard');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Buttons');
    for (const row of rows) {
      const line = el('div', undefined, 'row');
      for (const b of row) {
        let node;
        if (b.callback_data !== undefined) {
          node = button(b.text, () => this.press(m, b, node));
        } else if (b.url !== undefined) {
          node = link(b.url);
          node.textContent = `${b.text} ↗`;
        } else {
          node = button(b.text, () => {});
          node.disabled = true;
          node.title = 'This kind of button is not simulated';
        }
        node.classList.add('kb-button');
        line.append(node);
      }
      box.append(line);
    }
    return box;
  }

  // The ids of the bots the user blocked, as a string to compare (the picker notes them).
  blockedBots() {
    return (this.mine?.private_chats ?? []).filter((p) => p.blocked).map((p) => p.bot_id).join(',');
  }

  // The open private chat's state, from the user's chats: the Block or Unblock button that
  // applies, and a sentence.
  drawBlocked() {
    const open = this.open;
    if (!open || open.kind !== 'bot') return;
    const chat = this.mine?.private_chats.find((p) => p.bot_id === open.id);
    const known = this.mine !== null;
    $('play-block').hidden = known && Boolean(chat?.blocked);
    $('play-unblock').hidden = known && !chat?.blocked;
    if (!known) return;
    $('play-state').textContent = chat?.blocked ? 'You blocked this bot'
      : chat?.started ? 'You started this bot' : 'You have not started this bot';
  }

  keyboardKey(m) {
    return `${this.userId}:${this.open?.kind}:${this.open?.id}:${m.message_id}`;
  }

  // The reply keyboard in effect, drawn above the input as Telegram does: the one of the latest
  // bot message with a `keyboard` (the listings show the reply_markup a bot sent, which the Bot
  // API's Message never carries), until that bot's later `remove_keyboard`, or for a
  // `one_time_keyboard` until the user pressed one of its buttons here. Its
  // input_field_placeholder becomes the input's. Named limits: `selective` is ignored (the
  // keyboard is shown to whoever is played, not only to the users it names), a ForceReply is
  // not shown, and buttons that request a contact, location, poll, users, chat or web app are
  // drawn disabled.
  drawReplyKeyboard(messages) {
    const box = $('play-keyboard');
    let current = null; // {m, markup}
    for (const m of messages) {
      if (!m.from?.is_bot) continue;
      const markup = m.reply_markup;
      if (markup?.keyboard) current = { m, markup };
      else if (markup?.remove_keyboard && current && current.m.from.id === m.from.id) current = null;
    }
    if (current?.markup.one_time_keyboard && this.usedKeyboards.has(this.keyboardKey(current.m))) {
      current = null;
    }
    box.replaceChildren();
    box.hidden = !current;
    $('play-text').placeholder = current?.markup.input_field_placeholder || DEFAULT_PLACEHOLDER;
    if (!current) return;
    const { m, markup } = current;
    for (const row of markup.keyboard) {
      const line = el('div', undefined, 'row');
      for (const b of row) {
        const text = typeof b === 'string' ? b : b.text;
        const node = button(text, () => this.pressKey(m, markup, text), 'kb-button');
        if (typeof b === 'object' && REQUESTS.some((r) => b[r] !== undefined)) {
          node.disabled = true;
          node.title = 'This kind of button is not simulated';
        }
        line.append(node);
      }
      box.append(line);
    }
  }

  // A reply keyboard's button sends its text as the user's message; a one-time keyboard goes.
  async pressKey(m, markup, text) {
    const key = this.keyboardKey(m);
    if (markup.one_time_keyboard) this.usedKeyboards.add(key);
    const sent = await this.send(text);
    if (!sent && markup.one_time_keyboard) {
      this.usedKeyboards.delete(key); // refused: the keyboard is still there
      await this.refetch();
    }
  }

  chatIdForApi() {
    return this.open.id; // a bot's id for its private chat, as the user sees it
  }

  async sendTyped() {
    const input = $('play-text');
    const text = input.value;
    if (!text.trim()) return;
    input.value = ''; // cleared at once, as Telegram does; given back if the send is refused
    if (!(await this.send(text)) && input.value === '') input.value = text;
  }

  async send(text) {
    if (!this.open || this.userId === null) return false;
    $('play-error').textContent = '';
    try {
      await control('messages', { method: 'POST', body: { from: this.userId, chat_id: this.chatIdForApi(), text } });
      await this.refetch();
      return true;
    } catch (e) {
      $('play-error').textContent = e.message;
      return false;
    }
  }

  // Presses a callback button; the answer is shown when the bot gives it (its callback_query
  // event), or "no answer" after the 15 seconds a bot has.
  async press(m, b, node) {
    $('play-error').textContent = '';
    $('play-answer').textContent = '';
    node.setAttribute('aria-busy', 'true');
    try {
      const r = await control('callback-queries', {
        method: 'POST',
        body: { from: this.userId, chat_id: this.chatIdForApi(), message_id: m.message_id, data: b.callback_data },
      });
      if (this.query) clearTimeout(this.query.timer);
      const query = { id: String(r.callback_query_id), node };
      query.timer = setTimeout(() => {
        if (this.query !== query) return;
        this.query = null;
        node.removeAttribute('aria-busy');
        $('play-answer').textContent = 'The bot did not answer the button.';
      }, ANSWER_WAIT_MS);
      this.query = query;
      await this.checkAnswer(query.id); // the answer may have come before we knew the id
    } catch (e) {
      node.removeAttribute('aria-busy');
      $('play-error').textContent = e.message;
    }
  }

  async checkAnswer(id) {
    const query = this.query;
    if (!query || query.id !== id) return;
    const answer = await control(`callback-queries/${id}`);
    if (answer === null || this.query !== query) return;
    this.query = null;
    clearTimeout(query.timer);
    query.node.removeAttribute('aria-busy');
    const box = $('play-answer');
    box.replaceChildren();
    if (answer.show_alert && answer.text) return this.showAlert(answer.text);
    if (answer.text) box.append(el('span', answer.text));
    if (answer.url) {
      const a = link(answer.url);
      a.textContent = answer.url;
      box.append(' ', a);
    }
  }

  showAlert(text) {
    $('play-alert-text').textContent = text;
    $('play-alert').hidden = false;
    $('play-alert-ok').focus();
  }

  closeAlert() {
    $('play-alert').hidden = true;
    $('play-text').focus();
  }

  // Uses an invite link as the picked user: joined at once, or a pending join request followed
  // until a bot decides it.
  async join() {
    const result = $('play-join-result');
    const linkText = $('play-link').value.trim();
    if (!linkText || this.userId === null) return;
    result.className = '';
    result.textContent = 'Joining…';
    $('play-error').textContent = ''; // e.g. a refused send of before the join
    this.joinWait = null;
    try {
      const r = await control('join', { method: 'POST', body: { user_id: this.userId, invite_link: linkText } });
      $('play-link').value = '';
      const chatId = r.status === 'joined' ? r.chat_id : r.join_request.chat_id;
      const chat = await control(`chats/${chatId}`);
      if (r.status === 'joined') {
        this.joinDone(chat, `Joined ${chat.title}.`);
      } else {
        this.joinWait = { chatId, title: chat.title, chat };
        result.replaceChildren(el('span', `Join request sent to ${chat.title}: waiting for an administrator.`));
        result.className = 'pending';
        await this.checkJoin();
      }
    } catch (e) {
      result.className = 'error';
      result.textContent = e.message;
    }
  }

  joinDone(chat, sentence) {
    const result = $('play-join-result');
    result.className = 'done';
    result.replaceChildren(el('span', `${sentence} `),
      button(`Open ${chat.title}`, () => this.openChat({ kind: 'chat', id: chat.id, title: chat.title, type: chat.type })));
  }

  async checkJoin() {
    const wait = this.joinWait;
    if (!wait) return;
    const requests = await control(`chats/${wait.chatId}/join-requests`);
    const mine = requests.find((r) => r.user_id === this.userId);
    if (this.joinWait !== wait || !mine || mine.state === 'pending') return;
    this.joinWait = null;
    if (mine.state === 'approved') this.joinDone(wait.chat, `Your request to join ${wait.title} was approved.`);
    else {
      $('play-join-result').className = 'error';
      $('play-join-result').textContent = `Your request to join ${wait.title} was ${mine.state}.`;
    }
  }

  async leave() {
    if (!this.open || this.open.kind !== 'chat') return;
    $('play-error').textContent = '';
    try {
      await control('leave', { method: 'POST', body: { chat_id: this.open.id, user_id: this.userId } });
      await this.refetch();
    } catch (e) {
      $('play-error').textContent = e.message;
    }
  }

  // Block or unblock the bot of the open private chat; the state is read back with the chat.
  async block(blocked) {
    if (!this.open || this.open.kind !== 'bot') return;
    $('play-error').textContent = '';
    try {
      await control(`users/${this.userId}/${blocked ? 'block' : 'unblock'}`, {
        method: 'POST', body: { bot_id: this.open.id },
      });
      await this.refetch();
    } catch (e) {
      $('play-error').textContent = e.message;
    }
  }

  // Events that name the open conversation refetch it (a burst once); a callback_query event
  // may carry the answer of the pressed button; a join_request or member event may decide the
  // pending join.
  onEvent(event) {
    const open = this.open;
    const user = this.userId;
    if (event.kind === 'callback_query' && this.query && String(event.callback_query_id) === this.query.id) {
      this.checkAnswer(this.query.id).catch((e) => { $('play-error').textContent = e.message; });
    }
    if ((event.kind === 'join_request' || event.kind === 'member') && this.joinWait &&
        event.chat_id === this.joinWait.chatId && event.user_id === user) {
      this.checkJoin().catch((e) => { $('play-join-result').textContent = e.message; });
    }
    // The user's own chats (for the picker): a member record or a private chat of theirs.
    if (user !== null && ['member', 'private_chat', 'join'].includes(event.kind) && event.user_id === user) {
      this.pending.add('mine');
    }
    if (event.kind === 'world') this.pending.add('all');
    else if (event.kind === 'user') this.pending.add('users');
    else if (event.kind === 'bot') this.pending.add('bots');
    else if (event.kind === 'chat') this.pending.add('chats');
    else if (open && user !== null) {
      const forOpen = open.kind === 'bot'
        ? (event.kind === 'message' && event.bot_id === open.id && event.chat_id === user) ||
          (event.kind === 'private_chat' && event.bot_id === open.id && event.user_id === user) ||
          (event.kind === 'callback_query' && event.bot_id === open.id)
        : (['message', 'member', 'join_request', 'join'].includes(event.kind) && event.chat_id === open.id) ||
          event.kind === 'callback_query';
      if (forOpen) this.pending.add('open');
    }
    if (this.pending.size && this.timer === null) this.timer = setTimeout(() => this.refresh(), 100);
  }

  async refresh() {
    this.timer = null;
    const what = this.pending;
    this.pending = new Set();
    if (what.has('all')) return this.load();
    const lists = new Set(['users', 'bots', 'chats', 'mine'].filter((l) => what.has(l)));
    if (lists.size) return this.load(lists); // refetches the open conversation too
    if (what.has('open')) await this.refetch();
  }
}
