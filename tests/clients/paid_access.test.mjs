// A paid-access bot on Telegraf 4.16 (long polling), unchanged but for apiRoot, written the way
// such bots are written: it sells 30 days in a private supergroup it administers (and, in a second
// test, the same bot for a private channel).
//   - A user sends /start, then "pay" (or /buy) in the private chat: paying is sending a message.
//     The bot records the paid period and answers with a one-use invite link
//     (createChatInviteLink with member_limit 1 and an expire_date one hour ahead).
//   - When the user joins through it (a chat_member update with the link), the bot revokes the
//     link: member_limit only counts who is in the chat *now*, so a link whose member leaves or
//     is removed would admit someone again; revoking makes it really one-use.
//   - A sweep removes members whose time is up: banChatMember, then unbanChatMember with
//     only_if_banned (the usual "kick": out of the chat, but free to come back), and tells them in
//     private.
// The bot's clock: a bot against this server cannot use Date.now(), because the test moves the
// server's clock (POST /control/v1/clock) and the bot's machine knows nothing of it. The only time
// a bot hears from the server is the `date` of its updates, so the bot keeps "now" as the latest
// update date it saw, stores expiry as payment message date + period, and sweeps on a short
// setInterval against that "now" (what the bots' setInterval sweeps do with Date.now()). An admin
// command /sweep runs the sweep at once with its own message date; that command is also what tells
// the bot the time moved on, as any update would.
//
// The test plays the users through the control plane and checks the world the way the server
// shows it: the control plane's links and joins, its messages (in the supergroup a removed user can
// no longer post), the Bot API's getChatMember, and the chat_member updates the bot got.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Telegraf } from 'telegraf';
import { startServer } from '../support/server.mjs';
import { LINK_RE, controlOk, waitFor } from './helpers.mjs';

const OWNER = 100001; // creator of the group and the bot's admin
// One bot, chat and pair of users per variant: a private supergroup, and a private channel.
function setup(n, type) {
  const botId = 7000000300 + n;
  return {
    type,
    bot: {
      id: botId,
      token: `${botId}:AApaidAccess${type}Secret0123456789`,
      username: `paid_${type}_bot`,
      first_name: `Paid ${type}`,
    },
    chatId: -1001000000300 - n,
    buyer: { id: 400000 + 10 * n + 1, first_name: 'Bea', username: `bea_buyer_${n}` },
    friend: { id: 400000 + 10 * n + 2, first_name: 'Fred', username: `fred_friend_${n}` },
  };
}
const SUPERGROUP = setup(1, 'supergroup');
const CHANNEL = setup(2, 'channel');
const ALL = [SUPERGROUP, CHANNEL];

const DAY = 24 * 3600;
const PERIOD = 30 * DAY;
const LINK_LIFETIME = 3600;
const ALLOWED = ['message', 'chat_member'];
const INVITE_HASH_EXPIRED = 'Bad Request: INVITE_HASH_EXPIRED';

function world() {
  const users = [{ id: OWNER, first_name: 'Alice', username: 'alice' }];
  for (const s of ALL) users.push(s.buyer, s.friend);
  return {
    bots: ALL.map((s) => s.bot),
    users,
    chats: ALL.map((s) => ({
      id: s.chatId,
      type: s.type,
      title: `Paid Club (${s.type})`,
      members: [
        { user_id: OWNER, status: 'creator' },
        {
          user_id: s.bot.id,
          status: 'administrator',
          rights: { can_invite_users: true, can_restrict_members: true },
        },
      ],
    })),
  };
}

let srv;
before(async () => {
  srv = await startServer({ world: world() });
});
after(async () => {
  await srv?.close();
});

const control = (method, path, body) => controlOk(srv, method, path, body);

// The bot, as its author would write it; `seen` collects its updates and errors for the test.
function paidAccessBot({ token, apiRoot, chatId, adminId, seen }) {
  const bot = new Telegraf(token, { telegram: { apiRoot } });
  const subs = new Map(); // user id -> { until, link, joined, expired }
  let now = 0; // the server's time, as the dates of the updates tell it

  bot.use((ctx, next) => {
    seen.updates.push(ctx.update);
    const u = ctx.update;
    const date = u.message?.date ?? u.chat_member?.date ?? u.my_chat_member?.date ?? 0;
    if (date > now) now = date;
    return next();
  });

  bot.start((ctx) =>
    ctx.reply('30 days in Paid Club cost 5 €. Send "pay" (or /buy) to pay and get your invite link.'));

  const buy = async (ctx) => {
    const paidAt = ctx.message.date;
    const old = subs.get(ctx.from.id);
    if (old && old.joined && !old.expired) {
      old.until += PERIOD;
      await ctx.reply(`Extended: you are in until ${day(old.until)}.`);
      return;
    }
    const sub = { until: paidAt + PERIOD, link: null, joined: false, expired: false };
    subs.set(ctx.from.id, sub);
    const link = await ctx.telegram.createChatInviteLink(chatId, {
      name: `paid ${ctx.from.id}`,
      member_limit: 1,
      expire_date: paidAt + LINK_LIFETIME,
    });
    sub.link = link.invite_link;
    await ctx.reply(
      `Thank you! You are in until ${day(sub.until)}. Your invite link, for you alone, ` +
        `valid for one hour: ${link.invite_link}`,
    );
  };
  bot.hears(/^pay$/i, buy);
  bot.command('buy', buy);

  bot.on('chat_member', async (ctx) => {
    const cm = ctx.chatMember;
    if (cm.chat.id !== chatId) return;
    const joined = ['left', 'kicked'].includes(cm.old_chat_member.status) &&
      cm.new_chat_member.status === 'member';
    if (!joined) return;
    const sub = subs.get(cm.new_chat_member.user.id);
    if (sub && cm.invite_link && cm.invite_link.invite_link === sub.link) {
      sub.joined = true;
      await ctx.telegram.revokeChatInviteLink(chatId, sub.link);
    }
  });

  const sweep = async (at) => {
    for (const [userId, sub] of subs) {
      if (sub.expired || !sub.joined || sub.until > at) continue;
      sub.expired = true; // before the first await: the timer and /sweep may overlap
      await bot.telegram.banChatMember(chatId, userId);
      await bot.telegram.unbanChatMember(chatId, userId, { only_if_banned: true });
      await bot.telegram.sendMessage(userId, 'Your 30 days are over. Send "pay" to come back.');
    }
  };

  bot.command('sweep', async (ctx) => {
    if (ctx.from.id !== adminId) return;
    await sweep(ctx.message.date);
    const expired = [...subs.values()].filter((s) => s.expired).length;
    await ctx.reply(`Sweep at ${day(ctx.message.date)}: ${expired} expired so far.`);
  });

  const timer = setInterval(() => {
    if (now) sweep(now).catch((err) => seen.errors.push(err));
  }, 200);
  bot.catch((err) => seen.errors.push(err));
  return { bot, subs, stopTimer: () => clearInterval(timer) };
}

function day(unix) {
  return new Date(unix * 1000).toISOString().slice(0, 10);
}

async function paidAccessScenario(s) {
  const seen = { updates: [], errors: [] };
  const { bot, stopTimer } = paidAccessBot({
    token: s.bot.token, apiRoot: srv.base, chatId: s.chatId, adminId: OWNER, seen,
  });
  const chatMembers = () => seen.updates.filter((u) => u.chat_member).map((u) => u.chat_member);
  const privateChat = (user) => `/users/${user}/chats/${s.bot.id}/messages`;
  const diagnose = async () => [
    `buyer's chat: ${(await srv.control('GET', privateChat(s.buyer.id))).text}`,
    `owner's chat: ${(await srv.control('GET', privateChat(OWNER))).text}`,
    `links: ${(await srv.control('GET', `/chats/${s.chatId}/invite-links`)).text}`,
    `chat_member updates: ${JSON.stringify(chatMembers())}`,
    `bot errors: ${seen.errors.map(String).join('; ')}`,
  ].join('\n');
  const botSays = async (user, after, re) =>
    waitFor(`the bot to tell ${user} ${re}`, async () =>
      (await control('GET', privateChat(user))).find(
        (m) => m.from.id === s.bot.id && m.message_id > after && re.test(m.text)), { diagnose });
  const say = (user, text) => control('POST', '/messages', { from: user, chat_id: s.bot.id, text });
  const member = async (user) => {
    const r = await srv.api(s.bot.token, 'getChatMember', { chat_id: s.chatId, user_id: user });
    assert.equal(r.json?.ok, true, r.text);
    return r.json.result;
  };
  const join = (user, link) => srv.control('POST', '/join', { user_id: user, invite_link: link });
  const linkOf = (m) => m.text.match(/https:\/\/t\.me\/\+[A-Za-z0-9_-]+/)?.[0];

  let launched = false;
  const running = bot.launch({ allowedUpdates: ALLOWED }, () => { launched = true; });
  running.catch((err) => seen.errors.push(err));
  try {
    await waitFor('Telegraf to launch', () => launched || seen.errors.length > 0);
    await waitFor('Telegraf polling to start', () => bot.polling !== undefined || seen.errors.length > 0);
    assert.deepEqual(seen.errors.map(String), []);

    // /start, then "pay".
    const start = await say(s.buyer.id, '/start');
    await botSays(s.buyer.id, start.message_id, /^30 days in Paid Club/);
    const pay = await say(s.buyer.id, 'pay');
    const receipt = await botSays(s.buyer.id, pay.message_id, /^Thank you!/);
    const link1 = linkOf(receipt);
    assert.match(link1, LINK_RE, receipt.text);
    assert.ok(receipt.text.includes(`until ${day(pay.date + PERIOD)}`), receipt.text);
    assert.ok(receipt.entities?.some((e) => e.type === 'url'), JSON.stringify(receipt.entities));

    // The link as the server keeps it.
    let links = await control('GET', `/chats/${s.chatId}/invite-links`);
    let l1 = links.find((l) => l.invite_link === link1);
    assert.ok(l1, JSON.stringify(links));
    assert.equal(l1.creator_id, s.bot.id);
    assert.equal(l1.name, `paid ${s.buyer.id}`);
    assert.equal(l1.member_limit, 1);
    assert.equal(l1.expire_date, pay.date + LINK_LIFETIME);
    assert.equal(l1.is_revoked, false);
    assert.equal(l1.creates_join_request, false);

    // The buyer joins; a friend with the same link cannot.
    const joined = await join(s.buyer.id, link1);
    assert.equal(joined.status, 200, joined.text);
    assert.equal(joined.json.result.status, 'joined', joined.text);
    assert.equal(joined.json.result.chat_id, s.chatId);
    const shared = await join(s.friend.id, link1);
    assert.equal(shared.status, 400, shared.text);
    assert.equal(shared.json?.description, INVITE_HASH_EXPIRED, shared.text);
    assert.equal((await member(s.friend.id)).status, 'left');
    assert.equal((await member(s.buyer.id)).status, 'member');
    if (s.type === 'supergroup') {
      const hello = await control('POST', '/messages', { from: s.buyer.id, chat_id: s.chatId, text: 'Hi all!' });
      assert.equal(hello.chat.id, s.chatId);
    }

    // The bot saw the join through its link and revoked the link.
    l1 = await waitFor('the bot to revoke the used link', async () =>
      (await control('GET', `/chats/${s.chatId}/invite-links`)).find((l) => l.invite_link === link1 && l.is_revoked),
    { diagnose });
    assert.deepEqual(l1.joins.map((j) => j.user_id), [s.buyer.id]);
    assert.equal(l1.join_count, 1);

    // 29 days later nothing happens: the sweep runs, the buyer stays.
    await control('POST', '/clock', { advance: 29 * DAY });
    const early = await say(OWNER, '/sweep');
    await botSays(OWNER, early.message_id, /: 0 expired so far\.$/);
    assert.equal((await member(s.buyer.id)).status, 'member');

    // Past the paid period: the next update tells the bot the date, and the sweep removes the buyer.
    const clock = await control('POST', '/clock', { advance: PERIOD - 29 * DAY + 60 });
    assert.ok(clock.now >= pay.date + PERIOD + 60, JSON.stringify(clock));
    const sweep = await say(OWNER, '/sweep');
    assert.ok(sweep.date >= pay.date + PERIOD, 'the /sweep message carries the server date');
    await botSays(OWNER, sweep.message_id, /: 1 expired so far\.$/);
    await botSays(s.buyer.id, receipt.message_id, /^Your 30 days are over\./);

    // Out: left (banned then unbanned, so not kicked), and no longer able to post in the group.
    const out = await member(s.buyer.id);
    assert.equal(out.status, 'left', JSON.stringify(out));
    if (s.type === 'supergroup') {
      const refused = await srv.control('POST', '/messages', { from: s.buyer.id, chat_id: s.chatId, text: 'still here?' });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.description, `Bad Request: user ${s.buyer.id} is not a member of chat ${s.chatId}`);
    }
    // The old link is refused (revoked, and past its expire_date anyway).
    const again = await join(s.buyer.id, link1);
    assert.equal(again.status, 400, again.text);
    assert.equal(again.json?.description, INVITE_HASH_EXPIRED, again.text);

    // Paying again gives a new link, and that one lets the buyer back in.
    const pay2 = await say(s.buyer.id, '/buy');
    const receipt2 = await botSays(s.buyer.id, pay2.message_id, /^Thank you!/);
    const link2 = linkOf(receipt2);
    assert.match(link2, LINK_RE, receipt2.text);
    assert.notEqual(link2, link1);
    assert.ok(receipt2.text.includes(`until ${day(pay2.date + PERIOD)}`), receipt2.text);
    const back = await join(s.buyer.id, link2);
    assert.equal(back.status, 200, back.text);
    assert.equal(back.json.result.status, 'joined', back.text);
    assert.equal((await member(s.buyer.id)).status, 'member');
    await waitFor('the bot to revoke the second link', async () =>
      (await control('GET', `/chats/${s.chatId}/invite-links`)).find((l) => l.invite_link === link2 && l.is_revoked),
    { diagnose });

    // What the bot heard, in order: the join through link 1 (from the buyer), the ban and the
    // unban (from the bot), the join through link 2. Nothing about the friend, who never got in.
    const cms = chatMembers();
    assert.equal(cms.length, 4, JSON.stringify(cms));
    const steps = cms.map((cm) => [
      cm.new_chat_member.user.id, cm.from.id, cm.old_chat_member.status, cm.new_chat_member.status,
      cm.invite_link?.invite_link ?? null,
    ]);
    assert.deepEqual(steps, [
      [s.buyer.id, s.buyer.id, 'left', 'member', link1],
      [s.buyer.id, s.bot.id, 'member', 'kicked', null],
      [s.buyer.id, s.bot.id, 'kicked', 'left', null],
      [s.buyer.id, s.buyer.id, 'left', 'member', link2],
    ]);
    for (const cm of cms) {
      assert.equal(cm.chat.id, s.chatId);
      assert.equal(cm.chat.type, s.type);
      assert.equal(typeof cm.date, 'number');
    }
    assert.equal(cms[0].invite_link.member_limit, 1);
    assert.equal(cms[0].invite_link.name, `paid ${s.buyer.id}`);
    assert.equal(cms[0].invite_link.expire_date, pay.date + LINK_LIFETIME);
    assert.equal(cms[1].new_chat_member.until_date, 0, 'banned for good, until the unban');
    assert.ok(cms[1].date >= pay.date + PERIOD, 'the ban is dated on the server clock');
    assert.ok(cms[3].date >= pay2.date);
    // The service messages: in the supergroup, the join through link 1 (from the buyer), the
    // removal (from the bot: a bot gets its own left_chat_member, spec moderation 9.2), the join
    // through link 2; the unban of a banned user posts nothing. Channels have none.
    const serviceMessages = () => seen.updates.map((u) => u.message)
      .filter((m) => m && (m.new_chat_members || m.left_chat_member));
    if (s.type === 'supergroup') {
      await waitFor('the three service messages', () => serviceMessages().length >= 3, { diagnose });
    }
    const services = serviceMessages();
    const shown = services.map((m) => [
      m.from.id, m.new_chat_members ? 'new_chat_members' : 'left_chat_member',
      (m.new_chat_members ?? [m.left_chat_member]).map((u) => u.id),
    ]);
    assert.deepEqual(shown, s.type === 'channel' ? [] : [
      [s.buyer.id, 'new_chat_members', [s.buyer.id]],
      [s.bot.id, 'left_chat_member', [s.buyer.id]],
      [s.buyer.id, 'new_chat_members', [s.buyer.id]],
    ], JSON.stringify(services));
    for (const m of services) assert.equal(m.chat.id, s.chatId);
    // Each update is one of the kinds the bot asked for.
    for (const u of seen.updates) {
      const kinds = Object.keys(u).filter((k) => k !== 'update_id');
      assert.ok(kinds.length === 1 && ALLOWED.includes(kinds[0]), JSON.stringify(u));
    }
    assert.deepEqual(seen.errors.map(String), [], 'the bot hit errors');
  } finally {
    stopTimer();
    if (bot.polling !== undefined) bot.stop('test over');
    await running.catch(() => {});
  }
}

test('Telegraf paid access to a supergroup: pay, one-use link, expiry sweep, pay again', () =>
  paidAccessScenario(SUPERGROUP));

test('Telegraf paid access to a channel: pay, one-use link, expiry sweep, pay again', () =>
  paidAccessScenario(CHANNEL));
