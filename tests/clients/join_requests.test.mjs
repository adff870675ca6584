// Join-request gatekeeper bots, written the way people write them, on three real client libraries,
// unchanged but for their base URL:
//   - grammY 1.46, long polling (bot.start with allowed_updates);
//   - Telegraf 4.16, long polling (bot.launch with allowedUpdates);
//   - node-telegram-bot-api 0.67, on a webhook (its own HTTP server, setWebHook with secret_token).
// Each bot approves requests that came through its link named "vip" and declines the others.
// Simulated users ask to join through the control plane (POST /control/v1/join), and the test
// checks what the world ends up as (control plane join-requests and invite-links, getChatMember)
// and what the bot saw (chat_join_request and chat_member updates, spec 5.1 and 5.2).
//
// One tginvited serves the whole file. Every library gets its own bot, chat and users, so their
// update queues and outcomes cannot mix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createRequire } from 'node:module';
import { Bot, GrammyError } from 'grammy';
import { Telegraf, TelegramError } from 'telegraf';
import { startServer } from '../support/server.mjs';
import { LINK_RE, controlOk, waitFor } from './helpers.mjs';

const require = createRequire(import.meta.url);
const TelegramBot = require('node-telegram-bot-api');

const OWNER = 100001;
const ALLOWED = ['chat_join_request', 'chat_member', 'my_chat_member'];
const HIDE_REQUESTER_MISSING = 'Bad Request: HIDE_REQUESTER_MISSING';

// One bot, one supergroup and five users per library. In each chat: two users ask through "vip"
// (approved), two through "other" (declined), and a last one joins through a plain link after
// everything else, as a barrier: once the bot has seen its chat_member update, it has seen every
// update made before it.
function setup(n, botName) {
  const botId = 7000000100 + n;
  const base = 200000 + n * 10;
  return {
    bot: {
      id: botId,
      token: `${botId}:AAgatekeeper${botName}Secret0123456789`,
      username: `gatekeeper_${botName.toLowerCase()}_bot`,
      first_name: `Gatekeeper ${botName}`,
    },
    chatId: -1001000000100 - n,
    vip: [base + 1, base + 2],
    other: [base + 3, base + 4],
    barrier: base + 5,
  };
}

const GRAMMY = setup(1, 'Grammy');
const TELEGRAF = setup(2, 'Telegraf');
const NTBA = setup(3, 'Ntba');
const ALL = [GRAMMY, TELEGRAF, NTBA];

function world() {
  const users = [{ id: OWNER, first_name: 'Alice', username: 'alice' }];
  const chats = [];
  for (const s of ALL) {
    for (const id of [...s.vip, ...s.other, s.barrier]) {
      users.push({ id, first_name: `User${id}`, username: `user${id}` });
    }
    chats.push({
      id: s.chatId,
      type: 'supergroup',
      title: `Gatekept by ${s.bot.first_name}`,
      members: [
        { user_id: OWNER, status: 'creator' },
        { user_id: s.bot.id, status: 'administrator', rights: { can_invite_users: true } },
      ],
    });
  }
  return { bots: ALL.map((s) => s.bot), users, chats };
}

let srv;

before(async () => {
  srv = await startServer({ world: world() });
});
after(async () => {
  await srv?.close();
});

const control = (method, path, body) => controlOk(srv, method, path, body);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// The gatekeeper scenario, the same for every library.
//   lib.createLink(params) -> ChatInviteLink, through the library
//   lib.getChatMember(userId) -> ChatMember, through the library
//   lib.approve(userId) / lib.decline(userId): direct calls through the library (for the repeat check)
//   lib.errorDescription(err): the Bot API description as the library reports it
//   lib.diagnose() (optional): a string to add when a wait times out
//   seen: { updates: [], errors: [] } filled by the running bot
async function gatekeeperScenario(s, lib, seen) {
  const diagnose = async () => {
    const requests = await srv.control('GET', `/chats/${s.chatId}/join-requests`);
    return [
      `join-requests: ${requests.text}`,
      `updates the bot saw: ${JSON.stringify(seen.updates)}`,
      `bot errors: ${seen.errors.map(String).join('; ')}`,
      lib.diagnose ? await lib.diagnose() : '',
    ].join('\n');
  };
  const vip = await lib.createLink({ name: 'vip', creates_join_request: true });
  const other = await lib.createLink({ name: 'other', creates_join_request: true });
  for (const [link, name] of [[vip, 'vip'], [other, 'other']]) {
    assert.match(link.invite_link, LINK_RE);
    assert.equal(link.name, name);
    assert.equal(link.creator.id, s.bot.id);
    assert.equal(link.creates_join_request, true);
    assert.equal(link.is_primary, false);
    assert.equal(link.is_revoked, false);
    assert.equal(link.member_limit, undefined);
  }
  assert.notEqual(vip.invite_link, other.invite_link);

  // Users ask to join, vip and other interleaved; one of each with a bio.
  const asks = [
    { user: s.vip[0], link: vip, bio: 'VIP since 2020' },
    { user: s.other[0], link: other, bio: 'just browsing' },
    { user: s.vip[1], link: vip },
    { user: s.other[1], link: other },
  ];
  for (const a of asks) {
    const body = { user_id: a.user, invite_link: a.link.invite_link };
    if (a.bio) body.bio = a.bio;
    const r = await control('POST', '/join', body);
    assert.equal(r.status, 'pending', `join of ${a.user}: ${JSON.stringify(r)}`);
    assert.equal(r.join_request.chat_id, s.chatId);
    assert.equal(r.join_request.user_id, a.user);
    assert.equal(r.join_request.invite_link, a.link.invite_link);
  }

  // The bot decides; the control plane shows every request handled.
  const requests = await waitFor('all four join requests to be decided', async () => {
    const list = await control('GET', `/chats/${s.chatId}/join-requests`);
    const mine = list.filter((r) => asks.some((a) => a.user === r.user_id));
    return mine.length === asks.length && mine.every((r) => r.state !== 'pending') ? list : false;
  }, { diagnose });
  assert.equal(requests.length, asks.length, JSON.stringify(requests));
  for (const a of asks) {
    const r = requests.find((x) => x.user_id === a.user);
    const want = a.link === vip ? 'approved' : 'declined';
    assert.equal(r.state, want, `request of ${a.user}: ${JSON.stringify(r)}`);
    assert.equal(r.chat_id, s.chatId);
    assert.equal(r.invite_link, a.link.invite_link);
    assert.equal(r.bio, a.bio);
    assert.equal(typeof r.decided, 'number', `request of ${a.user} has no decision time`);
  }

  // Membership as the bot sees it.
  for (const u of s.vip) {
    const m = await lib.getChatMember(u);
    assert.equal(m.status, 'member', `getChatMember(${u}): ${JSON.stringify(m)}`);
    assert.equal(m.user.id, u);
  }
  for (const u of s.other) {
    const m = await lib.getChatMember(u);
    assert.equal(m.status, 'left', `getChatMember(${u}): ${JSON.stringify(m)}`);
    assert.equal(m.user.id, u);
  }

  // Handling a declined request again: nothing is pending any more.
  for (const act of [lib.approve, lib.decline]) {
    let err;
    try {
      await act(s.other[0]);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `a second decision on ${s.other[0]} succeeded`);
    assert.equal(lib.errorDescription(err), HIDE_REQUESTER_MISSING);
  }

  // Barrier: a plain link, joined at once.
  const open = await lib.createLink({ name: 'open' });
  assert.equal(open.creates_join_request, false);
  const joined = await control('POST', '/join', { user_id: s.barrier, invite_link: open.invite_link });
  assert.equal(joined.status, 'joined', JSON.stringify(joined));
  const chatMembers = () => seen.updates.filter((u) => u.chat_member).map((u) => u.chat_member);
  await waitFor('the chat_member update of the barrier user', () =>
    chatMembers().some((cm) => cm.new_chat_member?.user?.id === s.barrier), { diagnose });

  // What the bot saw: one chat_join_request per ask, with the link in full (the bot made it).
  for (const u of seen.updates) {
    const kinds = Object.keys(u).filter((k) => k !== 'update_id');
    assert.equal(kinds.length, 1, `update with ${kinds.join(', ')}: ${JSON.stringify(u)}`);
    assert.ok(ALLOWED.includes(kinds[0]), `update type ${kinds[0]} was not asked for`);
    assert.equal(typeof u.update_id, 'number');
  }
  const ids = seen.updates.map((u) => u.update_id);
  assert.equal(new Set(ids).size, ids.length, `an update came twice: ${ids}`);
  const jrs = seen.updates.filter((u) => u.chat_join_request).map((u) => u.chat_join_request);
  assert.equal(jrs.length, asks.length, `chat_join_request updates: ${JSON.stringify(jrs)}`);
  for (const a of asks) {
    const jr = jrs.find((x) => x.from?.id === a.user);
    assert.ok(jr, `no chat_join_request from ${a.user}`);
    assert.equal(jr.chat.id, s.chatId);
    assert.equal(jr.chat.type, 'supergroup');
    assert.equal(jr.from.is_bot, false);
    assert.equal(jr.user_chat_id, a.user);
    assert.equal(typeof jr.date, 'number');
    assert.equal(jr.bio, a.bio);
    assert.equal(jr.invite_link?.invite_link, a.link.invite_link, JSON.stringify(jr));
    assert.equal(jr.invite_link.name, a.link.name);
    assert.equal(jr.invite_link.creator.id, s.bot.id);
    assert.equal(jr.invite_link.creates_join_request, true);
    assert.equal(jr.invite_link.is_primary, false);
    assert.equal(jr.invite_link.is_revoked, false);
  }

  // chat_member: exactly one for each approved user, left -> member, through "vip"; none for the
  // declined; the barrier's through "open".
  const cms = chatMembers();
  for (const u of s.vip) {
    const mine = cms.filter((cm) => cm.new_chat_member?.user?.id === u);
    assert.equal(mine.length, 1, `chat_member updates for ${u}: ${JSON.stringify(mine)}`);
    const cm = mine[0];
    assert.equal(cm.chat.id, s.chatId);
    assert.equal(typeof cm.from?.id, 'number');
    assert.equal(typeof cm.date, 'number');
    assert.equal(cm.old_chat_member.status, 'left');
    assert.equal(cm.old_chat_member.user.id, u);
    assert.equal(cm.new_chat_member.status, 'member');
    assert.equal(cm.invite_link?.name, 'vip', JSON.stringify(cm));
    assert.equal(cm.invite_link.invite_link, vip.invite_link);
    assert.equal(cm.invite_link.creates_join_request, true);
  }
  for (const u of s.other) {
    const mine = cms.filter((cm) => cm.new_chat_member?.user?.id === u || cm.old_chat_member?.user?.id === u);
    assert.deepEqual(mine, [], `declined user ${u} produced chat_member updates`);
  }
  const barrier = cms.filter((cm) => cm.new_chat_member.user.id === s.barrier);
  assert.equal(barrier.length, 1);
  assert.equal(barrier[0].from.id, s.barrier, 'a user who joins by link is their own from');
  assert.equal(barrier[0].new_chat_member.status, 'member');
  assert.equal(barrier[0].invite_link?.name, 'open');
  assert.equal(barrier[0].invite_link.creates_join_request, false);
  assert.equal(barrier[0].via_join_request, undefined);
  assert.equal(cms.length, s.vip.length + 1, `chat_member updates: ${JSON.stringify(cms)}`);
  assert.deepEqual(seen.updates.filter((u) => u.my_chat_member), [], 'the bot itself did not change');

  // The links, as the control plane lists them.
  const links = await control('GET', `/chats/${s.chatId}/invite-links`);
  const byLink = new Map(links.map((l) => [l.invite_link, l]));
  const v = byLink.get(vip.invite_link);
  const o = byLink.get(other.invite_link);
  assert.ok(v && o, JSON.stringify(links));
  assert.equal(v.join_count, s.vip.length, JSON.stringify(v));
  assert.deepEqual(v.joins.map((j) => j.user_id).sort(), [...s.vip].sort());
  for (const j of v.joins) assert.equal(j.via_join_request, true);
  assert.equal(v.pending_join_request_count, 0);
  assert.equal(o.join_count, 0, JSON.stringify(o));
  assert.equal(o.pending_join_request_count, 0);
  assert.equal(byLink.get(open.invite_link)?.join_count, 1);

  assert.deepEqual(seen.errors.map(String), [], 'the bot hit errors');
}

test('grammY gatekeeper on long polling approves "vip" requests and declines the rest', async () => {
  const s = GRAMMY;
  const seen = { updates: [], errors: [] };
  const bot = new Bot(s.bot.token, { client: { apiRoot: srv.base } });
  bot.use((ctx, next) => {
    seen.updates.push(ctx.update);
    return next();
  });
  bot.on('chat_join_request', (ctx) =>
    ctx.chatJoinRequest.invite_link?.name === 'vip'
      ? ctx.approveChatJoinRequest(ctx.from.id)
      : ctx.declineChatJoinRequest(ctx.from.id));
  bot.catch((err) => seen.errors.push(err.error ?? err));

  let started = false;
  const running = bot.start({ allowed_updates: ALLOWED, onStart: () => { started = true; } });
  running.catch((err) => seen.errors.push(err));
  try {
    await waitFor('grammY bot.start() to reach onStart', () => started || seen.errors.length > 0);
    assert.deepEqual(seen.errors.map(String), []);
    await gatekeeperScenario(s, {
      createLink: (p) => bot.api.createChatInviteLink(s.chatId, p),
      getChatMember: (u) => bot.api.getChatMember(s.chatId, u),
      approve: (u) => bot.api.approveChatJoinRequest(s.chatId, u),
      decline: (u) => bot.api.declineChatJoinRequest(s.chatId, u),
      errorDescription: (err) => {
        assert.ok(err instanceof GrammyError, `expected GrammyError, got ${err}`);
        assert.equal(err.error_code, 400);
        return err.description;
      },
    }, seen);
  } finally {
    await bot.stop();
    await running.catch(() => {});
  }
  assert.equal(bot.isRunning(), false);
  assert.deepEqual(seen.errors.map(String), [], 'grammY polling ended with errors');
});

test('Telegraf gatekeeper on long polling approves "vip" requests and declines the rest', async () => {
  const s = TELEGRAF;
  const seen = { updates: [], errors: [] };
  const bot = new Telegraf(s.bot.token, { telegram: { apiRoot: srv.base } });
  bot.use((ctx, next) => {
    seen.updates.push(ctx.update);
    return next();
  });
  bot.on('chat_join_request', (ctx) =>
    ctx.chatJoinRequest.invite_link?.name === 'vip'
      ? ctx.approveChatJoinRequest(ctx.from.id)
      : ctx.declineChatJoinRequest(ctx.from.id));
  bot.catch((err) => seen.errors.push(err));

  // launch() resolves only when polling ends; onLaunch runs once getMe has answered.
  let launched = false;
  const running = bot.launch({ allowedUpdates: ALLOWED }, () => { launched = true; });
  running.catch((err) => seen.errors.push(err));
  try {
    await waitFor('Telegraf bot.launch() to call onLaunch', () => launched || seen.errors.length > 0);
    assert.deepEqual(seen.errors.map(String), []);
    // Polling is running once deleteWebhook has been answered and the first getUpdates is out.
    await waitFor('Telegraf polling to start', () => bot.polling !== undefined || seen.errors.length > 0);
    await gatekeeperScenario(s, {
      createLink: (p) => bot.telegram.createChatInviteLink(s.chatId, p),
      getChatMember: (u) => bot.telegram.getChatMember(s.chatId, u),
      approve: (u) => bot.telegram.approveChatJoinRequest(s.chatId, u),
      decline: (u) => bot.telegram.declineChatJoinRequest(s.chatId, u),
      errorDescription: (err) => {
        assert.ok(err instanceof TelegramError, `expected TelegramError, got ${err}`);
        assert.equal(err.code, 400);
        return err.description;
      },
    }, seen);
  } finally {
    if (bot.polling !== undefined) bot.stop('test done');
    await running.catch(() => {});
  }
  assert.deepEqual(seen.errors.map(String), [], 'Telegraf polling ended with errors');
});

test('node-telegram-bot-api gatekeeper on a webhook approves "vip" requests and declines the rest', async () => {
  const s = NTBA;
  const seen = { updates: [], errors: [] };
  const deliveries = [];
  const port = await freePort();
  const secret = 'gatekeeper_Secret-token_0123';
  const hookUrl = `http://127.0.0.1:${port}/bot${s.bot.token}`;

  const bot = new TelegramBot(s.bot.token, {
    baseApiUrl: srv.base,
    webHook: { port, host: '127.0.0.1' },
  });
  bot.on('chat_join_request', (req) =>
    (req.invite_link?.name === 'vip'
      ? bot.approveChatJoinRequest(req.chat.id, req.from.id)
      : bot.declineChatJoinRequest(req.chat.id, req.from.id)
    ).catch((err) => seen.errors.push(err)));
  bot.on('webhook_error', (err) => seen.errors.push(err));

  try {
    await waitFor('the ntba webhook server to listen', () => bot.hasOpenWebHook());
    // The library does not check X-Telegram-Bot-Api-Secret-Token, so the test watches every request
    // its webhook server gets (headers and body) next to the library's own handler.
    bot._webHook._webServer.prependListener('request', (req) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const d = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
        deliveries.push(d);
        try {
          seen.updates.push(JSON.parse(d.body));
        } catch (err) {
          seen.errors.push(new Error(`webhook body is not JSON: ${d.body}`));
        }
      });
    });

    assert.equal(
      await bot.setWebHook(hookUrl, { secret_token: secret, allowed_updates: JSON.stringify(ALLOWED) }),
      true,
    );
    const info = await bot.getWebHookInfo();
    assert.equal(info.url, hookUrl, JSON.stringify(info));
    assert.equal(info.has_custom_certificate, false);
    assert.deepEqual([...(info.allowed_updates ?? [])].sort(), [...ALLOWED].sort(), JSON.stringify(info));

    await gatekeeperScenario(s, {
      createLink: (p) => bot.createChatInviteLink(s.chatId, p),
      getChatMember: (u) => bot.getChatMember(s.chatId, u),
      approve: (u) => bot.approveChatJoinRequest(s.chatId, u),
      decline: (u) => bot.declineChatJoinRequest(s.chatId, u),
      diagnose: async () =>
        `getWebhookInfo: ${JSON.stringify(await bot.getWebHookInfo())}; deliveries: ${deliveries.length}`,
      errorDescription: (err) => {
        assert.equal(err.code, 'ETELEGRAM', `expected ETELEGRAM, got ${err}`);
        assert.equal(err.response.statusCode, 400);
        return err.response.body.description;
      },
    }, seen);

    // Every delivery: POST to the path of the URL, JSON, with the secret header.
    assert.equal(deliveries.length, seen.updates.length);
    for (const d of deliveries) {
      assert.equal(d.method, 'POST');
      assert.equal(d.url, `/bot${s.bot.token}`);
      assert.equal(d.headers['x-telegram-bot-api-secret-token'], secret);
      assert.match(d.headers['content-type'] ?? '', /^application\/json/);
    }

    const after = await waitFor('pending_update_count to reach 0', async () => {
      const i = await bot.getWebHookInfo();
      return i.pending_update_count === 0 ? i : false;
    });
    assert.equal(after.url, hookUrl);
    assert.equal(after.last_error_date, undefined, JSON.stringify(after));
    assert.equal(after.last_error_message, undefined, JSON.stringify(after));
  } finally {
    await bot.deleteWebHook().catch((err) => seen.errors.push(err));
    await bot.closeWebHook();
  }
  const gone = await bot.getWebHookInfo();
  assert.equal(gone.url, '', JSON.stringify(gone));
  assert.equal(bot.hasOpenWebHook(), false);
  assert.deepEqual(seen.errors.map(String), [], 'the ntba bot hit errors');
});
