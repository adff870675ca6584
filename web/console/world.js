// The World view: bots, users and chats, page by page, and one chat's members and invite links,
// refetched when an event says they changed.
import { ControlError, control, listPage } from './api.js';

const $ = (id) => document.getElementById(id);
const PAGE = 100;

// The administrator rights the member form offers (ChatMemberAdministrator's, by Bot API name).
const RIGHTS = ['can_manage_chat', 'can_invite_users', 'can_change_info', 'can_delete_messages',
  'can_restrict_members', 'can_pin_messages', 'can_promote_members', 'can_manage_video_chats',
  'can_post_messages', 'can_edit_messages', 'can_manage_topics', 'is_anonymous'];

const when = (unix) => new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19);

// Runs `work` for a form, showing its outcome in `out` (text; the error's description on failure).
async function submit(out, work) {
  out.className = '';
  out.textContent = '…';
  try {
    out.textContent = await work();
    out.className = 'ok';
  } catch (e) {
    out.textContent = e instanceof ControlError ? e.message : String(e);
    out.className = 'error';
  }
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function userName(u) {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ');
  return u.username ? `${name} @${u.username}` : name;
}

// One paginated list (bots, users, chats or a chat's members): keeps the pages loaded so far and
// reloads them all when told to.
class PagedList {
  constructor(path, container, moreButton, render) {
    this.path = path;
    this.container = container;
    this.more = moreButton;
    this.render = render;
    this.items = [];
    this.next = null;
    this.more.onclick = () => this.loadMore();
  }

  async reload() {
    const shown = Math.max(this.items.length, PAGE);
    const items = [];
    let after = null;
    let next = null;
    do {
      const page = await listPage(this.path, after, Math.min(1000, shown - items.length));
      items.push(...page.items);
      next = page.next_after ?? null;
      after = next;
    } while (next !== null && items.length < shown);
    this.items = items;
    this.next = next;
    this.draw();
  }

  async loadMore() {
    if (this.next === null) return;
    const page = await listPage(this.path, this.next, PAGE);
    this.items.push(...page.items);
    this.next = page.next_after ?? null;
    this.draw();
  }

  draw() {
    this.container.replaceChildren(...this.items.map(this.render));
    this.more.hidden = this.next === null;
  }
}

export class WorldView {
  constructor() {
    this.chatId = null;
    this.bots = new PagedList('bots', $('bots'), $('bots-more'), (b) =>
      el('li', `${userName(b)} (${b.id})`));
    this.users = new PagedList('users', $('users'), $('users-more'), (u) =>
      el('li', `${userName(u)} (${u.id})`));
    this.chats = new PagedList('chats', $('chats'), $('chats-more'), (c) => this.chatItem(c));
    this.members = null;
    this.pending = new Set();
    this.timer = null;
    this.bindForms();
  }

  // The World's forms: put a member of the open chat, put a user, load a world file.
  bindForms() {
    const rights = $('member-rights');
    rights.replaceChildren(rights.firstElementChild ?? el('legend', 'Administrator rights'),
      ...RIGHTS.map((name) => {
        const label = el('label');
        const box = el('input');
        box.type = 'checkbox';
        box.name = name;
        label.append(box, name);
        return label;
      }));
    const showRights = () => { rights.hidden = $('member-status').value !== 'administrator'; };
    $('member-status').onchange = showRights;
    showRights();
    $('member-form').onsubmit = (e) => {
      e.preventDefault();
      if (this.chatId === null) return;
      const user = $('member-user').value.trim();
      const body = { status: $('member-status').value };
      if (body.status === 'administrator') {
        body.rights = {};
        for (const box of rights.querySelectorAll('input')) body.rights[box.name] = box.checked;
      }
      submit($('member-result'), async () => {
        const m = await control(`chats/${this.chatId}/members/${encodeURIComponent(user)}`,
          { method: 'PUT', body });
        return `${userName(m.user)} (${m.user.id}) is now ${m.status}.`;
      });
    };
    $('user-form').onsubmit = (e) => {
      e.preventDefault();
      const id = $('user-id').value.trim();
      const body = { first_name: $('user-first').value };
      if ($('user-username').value.trim()) body.username = $('user-username').value.trim();
      submit($('user-result'), async () => {
        const u = await control(`users/${encodeURIComponent(id)}`, { method: 'PUT', body });
        return `Put ${userName(u)} (${u.id}).`;
      });
    };
    $('world-form').onsubmit = (e) => {
      e.preventDefault();
      const file = $('world-file').files[0];
      if (!file) return;
      submit($('world-result'), async () => {
        const counts = await control('world', { method: 'POST', body: JSON.parse(await file.text()) });
        return `Loaded ${file.name}: ${counts.bots} bots, ${counts.users} users, ${counts.chats} chats.`;
      });
    };
  }

  // Fills the member form with a member's record, to change it.
  editMember(m) {
    $('member-user').value = String(m.user.id);
    $('member-status').value = m.status;
    $('member-status').onchange();
    for (const box of $('member-rights').querySelectorAll('input')) box.checked = m[box.name] === true;
    $('member-user').focus();
  }

  chatItem(c) {
    const li = el('li');
    if (c.id === this.chatId) li.className = 'selected';
    const button = el('button', c.title);
    button.type = 'button';
    button.onclick = () => this.openChat(c);
    li.append(button, el('span', ` ${c.type} ${c.id}`, 'muted'));
    return li;
  }

  async load() {
    await Promise.all([this.bots.reload(), this.users.reload(), this.chats.reload()]);
    if (this.chatId !== null) await this.loadChat();
  }

  async openChat(chat) {
    this.chatId = chat.id;
    this.chatTitle = chat.title;
    this.chats.draw();
    this.members = new PagedList(`chats/${chat.id}/members`, $('members'), $('members-more'), (m) =>
      this.memberRow(m));
    $('chat').hidden = false;
    await this.loadChat();
  }

  async loadChat() {
    $('chat-title').textContent = `${this.chatTitle} (${this.chatId})`;
    const [, links, requests] = await Promise.all([
      this.members.reload(),
      control(`chats/${this.chatId}/invite-links`),
      control(`chats/${this.chatId}/join-requests`),
    ]);
    $('links').replaceChildren(...links.map((l) => this.linkRow(l)));
    $('join-requests').replaceChildren(...requests.map((r) => this.requestRow(r)));
  }

  requestRow(r) {
    const tr = el('tr');
    if (r.state === 'pending') tr.className = 'pending';
    tr.append(el('td', String(r.user_id)), el('td', r.state), el('td', r.invite_link ?? ''),
      el('td', when(r.date)));
    return tr;
  }

  memberRow(m) {
    const tr = el('tr');
    const rights = Object.entries(m)
      .filter(([k, v]) => k.startsWith('can_') && v === true)
      .map(([k]) => k.slice(4))
      .join(', ');
    const edit = el('button', 'Edit');
    edit.type = 'button';
    edit.setAttribute('aria-label', `Edit ${userName(m.user)}`);
    edit.onclick = () => this.editMember(m);
    const who = el('td', `${userName(m.user)} (${m.user.id}) `);
    who.append(edit);
    tr.append(who, el('td', m.status), el('td', rights));
    return tr;
  }

  linkRow(l) {
    const tr = el('tr');
    const kind = [l.is_primary ? 'primary' : 'additional', l.creates_join_request ? 'requests' : '',
      l.is_revoked ? 'revoked' : ''].filter(Boolean).join(', ');
    const limits = [l.member_limit ? `limit ${l.member_limit}` : '',
      l.expire_date ? `expires ${new Date(l.expire_date * 1000).toISOString()}` : '']
      .filter(Boolean).join(', ');
    tr.append(el('td', l.name ? `${l.invite_link} (${l.name})` : l.invite_link),
      el('td', String(l.creator_id)), el('td', kind), el('td', limits),
      el('td', [`${l.join_count} joined, ${l.pending_join_request_count} pending`,
        ...(l.joins ?? []).map((j) => `${j.user_id}${j.via_join_request ? ' (request)' : ''} ${when(j.date)}`)]
        .join('\n')));
    return tr;
  }

  // An event names what changed; what it names is refetched, a burst of events once.
  onEvent(event) {
    switch (event.kind) {
      case 'bot': this.pending.add('bots'); break;
      case 'user': this.pending.add('users'); break;
      case 'chat': this.pending.add('chats'); break;
      case 'world': this.pending.add('all'); break;
      case 'member': case 'invite_link': case 'join': case 'join_request':
        if (event.chat_id === this.chatId) this.pending.add('chat');
        break;
      default: return;
    }
    if (this.timer === null) this.timer = setTimeout(() => this.refresh(), 100);
  }

  async refresh() {
    this.timer = null;
    const what = this.pending;
    this.pending = new Set();
    if (what.has('all')) return this.load();
    const work = [];
    if (what.has('bots')) work.push(this.bots.reload());
    if (what.has('users')) work.push(this.users.reload());
    if (what.has('chats')) work.push(this.chats.reload());
    if (what.has('chat') && this.chatId !== null) work.push(this.loadChat());
    await Promise.all(work);
  }
}
