// The "Bots, time and faults" view: what a bot receives (its mode, the updates queued for it and
// its webhook's last error, from GET /control/v1/bots/{id}/updates), a log of the updates seen
// queued and then delivered or confirmed in this session (from the events), the server's clock
// and the fault switch (GET/POST/DELETE /control/v1/faults). Every text is set with textContent.
import { control, listPage } from './api.js';

const $ = (id) => document.getElementById(id);
const PAGE = 100;
const LOG_MAX = 300; // entries kept per bot
const POLL_MS = 3000; // the clock and the faults, which no event announces when a call uses one

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function userName(u) {
  if (!u) return '?';
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ') || u.title || String(u.id);
  return u.username ? `${name} @${u.username}` : name;
}

function clip(text, max = 80) {
  const one = String(text).replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const time = (unix) => new Date(unix * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC');
const clockTime = (date) => date.toTimeString().slice(0, 8);

// The kind of an Update object: its one key besides update_id.
export function updateType(update) {
  return Object.keys(update).find((k) => k !== 'update_id') ?? '?';
}

// A readable line about an Update object.
export function summarize(update) {
  const type = updateType(update);
  const body = update[type] ?? {};
  switch (type) {
    case 'message': case 'edited_message': case 'channel_post': case 'edited_channel_post': {
      const who = body.from ? userName(body.from) : userName(body.sender_chat ?? body.chat);
      const where = body.chat && body.chat.type !== 'private' ? ` in ${userName(body.chat)}` : '';
      let what;
      if (body.text !== undefined) what = `“${clip(body.text)}”`;
      else if (body.new_chat_members) what = `added ${body.new_chat_members.map(userName).join(', ')}`;
      else if (body.left_chat_member) what = `removed ${userName(body.left_chat_member)}`;
      else what = Object.keys(body).filter((k) => !['message_id', 'from', 'chat', 'date', 'sender_chat'].includes(k)).join(', ');
      return `${who}${where}: ${what}`;
    }
    case 'callback_query':
      return `${userName(body.from)} pressed “${clip(body.data ?? '')}”`;
    case 'chat_member': case 'my_chat_member':
      return `${userName(body.new_chat_member?.user)} in ${userName(body.chat)}: ` +
        `${body.old_chat_member?.status} → ${body.new_chat_member?.status} (by ${userName(body.from)})`;
    case 'chat_join_request':
      return `${userName(body.from)} asks to join ${userName(body.chat)}`;
    default:
      return clip(JSON.stringify(body));
  }
}

export class InboxView {
  constructor() {
    this.botId = null;
    this.updates = [];
    this.next = null;
    this.log = new Map(); // bot id -> [{ id, type, queued, left }], oldest first
    this.timer = null;
    this.poll = setInterval(() => this.tick(), POLL_MS);
    this.clockPending = false; // a clock event came: refetch the clock
    this.botsPending = false; // a bot or world event came: refetch the bots

    $('inbox-bot').onchange = () =>
      this.pick(Number($('inbox-bot').value)).catch((e) => this.showQueueError(e));
    $('queue-more').onclick = () => this.loadMore().catch((e) => this.showQueueError(e));
    $('clock-form').onsubmit = (e) => {
      e.preventDefault();
      this.advance(Number($('clock-advance').value));
    };
    for (const button of document.querySelectorAll('#inbox [data-advance]'))
      button.onclick = () => this.advance(Number(button.dataset.advance));
    $('fault-form').onsubmit = (e) => {
      e.preventDefault();
      this.setFault();
    };
    $('faults-clear').onclick = () => this.clearFaults('faults');
    $('faults-clear-bot').onclick = () => this.botId !== null && this.clearFaults(`faults/${this.botId}`);
  }

  stop() {
    clearInterval(this.poll);
    clearTimeout(this.timer);
  }

  // Everything again (after signing in, or a reconnect that may have missed events); a failure
  // shows on the next event or poll.
  async load() {
    await Promise.all([this.loadBots(), this.loadClock(), this.loadFaults()]).catch(() => {});
  }

  // The picker lists the first 1000 bots.
  async loadBots() {
    const page = await listPage('bots', null, 1000);
    const select = $('inbox-bot');
    const options = page.items.map((b) => {
      const option = el('option', `${userName(b)} (${b.id})`);
      option.value = String(b.id);
      return option;
    });
    select.replaceChildren(...options);
    if (page.items.length === 0) return this.pick(null);
    const keep = page.items.some((b) => b.id === this.botId) ? this.botId : page.items[0].id;
    select.value = String(keep);
    await this.pick(keep, true);
  }

  async pick(botId, force = false) {
    if (botId === this.botId && !force) return;
    this.botId = botId;
    this.drawLog();
    await this.loadQueue();
  }

  // --- The bot's queue, mode and webhook.

  async loadQueue() {
    if (this.botId === null) {
      this.updates = [];
      this.next = null;
      return this.drawQueue(null);
    }
    const bot = this.botId;
    // Reloads as many as are shown (at least a page).
    const want = Math.max(this.updates.length, PAGE);
    const first = await control(`bots/${bot}/updates?limit=${Math.min(1000, want)}`);
    if (bot !== this.botId) return;
    this.updates = first.updates;
    this.next = first.next_after ?? null;
    for (const u of first.updates) this.noteQueued(bot, u.update_id, updateType(u));
    this.drawQueue(first);
  }

  async loadMore() {
    if (this.next === null || this.botId === null) return;
    const page = await control(`bots/${this.botId}/updates?after=${this.next}&limit=${PAGE}`);
    this.updates.push(...page.updates);
    this.next = page.next_after ?? null;
    this.drawQueue(page);
  }

  drawQueue(info) {
    const webhook = info?.webhook;
    $('inbox-mode').textContent = !webhook ? '' : webhook.url ? `webhook ${webhook.url}` : 'getUpdates';
    // getWebhookInfo lists allowed_updates only when they are not the default.
    $('inbox-allowed').textContent = !info ? ''
      : webhook.allowed_updates ? info.allowed_updates.join(', ')
        : 'the default: all but chat_member, message_reaction, message_reaction_count';
    const error = $('inbox-webhook-error');
    if (webhook?.last_error_date) {
      error.textContent = `${time(webhook.last_error_date)}: ${webhook.last_error_message}`;
      error.className = 'error';
    } else {
      error.textContent = 'none';
      error.className = 'muted';
    }
    const count = webhook?.pending_update_count ?? 0;
    $('queue-count').textContent = count === 0 ? 'Nothing queued.'
      : `${count} queued, oldest first${this.updates.length < count ? ` (${this.updates.length} shown)` : ''}.`;
    $('queue').replaceChildren(...this.updates.map((u) => this.queueRow(u)));
    $('queue-more').hidden = this.next === null;
    this.drawLog();
  }

  showQueueError(e) {
    $('queue-count').textContent = `Could not read the queue: ${e.message}`;
  }

  queueRow(update) {
    const tr = el('tr');
    tr.dataset.updateId = String(update.update_id);
    const details = el('details');
    details.append(el('summary', summarize(update)), el('pre', JSON.stringify(update, null, 2)));
    const cell = el('td');
    cell.append(details);
    tr.append(el('td', String(update.update_id)), el('td', updateType(update)), cell);
    return tr;
  }

  // --- The session's log, from the events.

  entries(bot) {
    if (!this.log.has(bot)) this.log.set(bot, []);
    return this.log.get(bot);
  }

  noteQueued(bot, id, type) {
    const list = this.entries(bot);
    if (list.some((e) => e.id === id)) return;
    list.push({ id, type, queued: new Date(), left: null });
    list.sort((a, b) => a.id - b.id);
    if (list.length > LOG_MAX) list.splice(0, list.length - LOG_MAX);
  }

  noteDropped(bot, below) {
    const now = new Date();
    for (const e of this.entries(bot)) if (e.id < below && !e.left) e.left = now;
  }

  drawLog() {
    const list = this.botId === null ? [] : this.entries(this.botId);
    $('inbox-log').replaceChildren(...list.slice().reverse().map((e) => {
      const text = `#${e.id} ${e.type}: queued ${clockTime(e.queued)}` +
        (e.left ? `, delivered or confirmed ${clockTime(e.left)}` : ', waiting');
      return el('li', text, e.left ? 'done' : 'waiting');
    }));
  }

  // --- The clock.

  async loadClock() {
    const clock = await control('clock');
    $('clock-now').textContent = time(clock.now);
    $('clock-now').dateTime = new Date(clock.now * 1000).toISOString();
    $('clock-offset').textContent = clock.offset ? `(ahead of real time by ${clock.offset} s)` : '(real time)';
  }

  async advance(seconds) {
    $('clock-error').textContent = '';
    try {
      await control('clock', { method: 'POST', body: { advance: seconds } });
    } catch (e) {
      $('clock-error').textContent = e.message;
    }
    await this.loadClock().catch((e) => { $('clock-error').textContent = e.message; });
  }

  // --- Faults.

  async loadFaults() {
    const faults = await control('faults');
    $('faults').replaceChildren(...faults.map((f) => {
      const text = `bot ${f.bot_id}: ${f.method}, next ${f.remaining} call${f.remaining === 1 ? '' : 's'} ` +
        `answer ${f.error_code}${f.retry_after ? ` (retry after ${f.retry_after} s)` : ''}`;
      return el('li', text, f.bot_id === this.botId ? 'selected' : '');
    }));
    if (faults.length === 0) $('faults').append(el('li', 'No faults pending.', 'muted'));
  }

  async setFault() {
    $('fault-error').textContent = '';
    if (this.botId === null) return;
    try {
      await control('faults', {
        method: 'POST',
        body: {
          bot_id: this.botId,
          method: $('fault-method').value.trim(),
          count: Number($('fault-count').value),
          retry_after: Number($('fault-retry').value),
        },
      });
    } catch (e) {
      $('fault-error').textContent = e.message;
    }
    await this.loadFaults().catch((e) => { $('fault-error').textContent = e.message; });
  }

  async clearFaults(path) {
    $('fault-error').textContent = '';
    try {
      await control(path, { method: 'DELETE' });
    } catch (e) {
      $('fault-error').textContent = e.message;
    }
    await this.loadFaults().catch((e) => { $('fault-error').textContent = e.message; });
  }

  // --- Live.

  tick() {
    if ($('inbox').hidden) return;
    this.loadClock().catch(() => {});
    this.loadFaults().catch(() => {});
  }

  onEvent(event) {
    switch (event.kind) {
      case 'update':
        this.noteQueued(event.bot_id, event.update_id, event.type);
        if (event.bot_id !== this.botId) return;
        break;
      case 'updates_dropped':
        this.noteDropped(event.bot_id, event.below_id);
        if (event.bot_id !== this.botId) return;
        break;
      case 'bot_settings':
        if (event.bot_id !== this.botId) return;
        break;
      case 'clock':
        this.clockPending = true;
        break;
      case 'bot': case 'world':
        this.botsPending = true;
        break;
      default: return;
    }
    if (this.timer === null) this.timer = setTimeout(() => this.refresh(), 100);
  }

  async refresh() {
    this.timer = null;
    const work = [];
    if (this.clockPending) work.push(this.loadClock());
    if (this.botsPending) work.push(this.loadBots());
    else work.push(this.loadQueue());
    this.clockPending = false;
    this.botsPending = false;
    this.drawLog();
    await Promise.all(work).catch(() => {});
  }
}
