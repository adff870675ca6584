// The invite-link family (spec 3): createChatInviteLink, editChatInviteLink, revokeChatInviteLink,
// the subscription links, approveChatJoinRequest and declineChatJoinRequest. Every answer is
// compared as text, so field order and presence (spec 3.1) are checked too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  B2,
  ALICE,
  CAROL,
  FRANK,
  UNKNOWN_USER,
  SG_MAIN,
  SG_NORIGHTS,
  SG_MEMBER,
  SG_RESTRICTED,
  SG_KICKED,
  SG_LEFT,
  SG_NORECORD,
  SG_PUB_NORECORD,
  SG_CREATOR,
  CH_MAIN,
  CH_KICKED,
  CH_NORIGHTS,
  GR_MAIN,
  GR_MEMBER,
  GR_NORIGHTS,
  GR_UPGRADE,
  testWorld,
  expectError,
  expectOk,
  expectLink,
  exportLink,
  listLinks,
  findLink,
  join,
  expectJoinOk,
  expectJoinRefused,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
  expectAlive,
  asciiJson,
  botUser,
  expectLinkResult,
  serverNow,
  userMaker,
  joinRequests,
} from './helpers.mjs';

let srv;
let newUser;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
  newUser = userMaker(srv, 300001);
});
after(async () => {
  if (srv) await srv.close();
});

const RIGHTS = 'Bad Request: not enough rights to manage chat invite link';
const JR_RIGHTS = 'Bad Request: not enough rights to manage chat join requests';
const CONFLICT = "Bad Request: member limit can't be specified for links requiring administrator approval";
const EMPTY_LINK = 'Bad Request: invite link must be non-empty';
const EXPIRED = 'Bad Request: INVITE_HASH_EXPIRED';
const PERMANENT = 'Bad Request: CHAT_INVITE_PERMANENT';
const EXPIRE_INVALID = 'Bad Request: EXPIRE_DATE_INVALID';
const USAGE_INVALID = 'Bad Request: USAGE_LIMIT_INVALID';
const PRICING = 'Bad Request: invalid subscription pricing specified';
const PERIOD_INVALID = 'Bad Request: SUBSCRIPTION_PERIOD_INVALID';
const PRICE_INVALID = 'Bad Request: PRICING_CHAT_INVALID';
const PEER_INVALID = 'Bad Request: PEER_ID_INVALID';
const NO_JOIN_REQUESTS = "Bad Request: the chat can't have join requests";
const HIDE_MISSING = 'Bad Request: HIDE_REQUESTER_MISSING';
const BAD_USER_ID = 'Bad Request: invalid user_id specified';
const CHAT_EMPTY = 'Bad Request: chat_id is empty';
const NOT_FOUND = 'Bad Request: chat not found';
const PRIVATE = "Bad Request: can't invite members to a private chat";
const PERIOD = 2592000;

const create = (params, opts, token = B1.token) => srv.api(token, 'createChatInviteLink', params, opts);
const edit = (params, opts, token = B1.token) => srv.api(token, 'editChatInviteLink', params, opts);
const revoke = (params, opts, token = B1.token) => srv.api(token, 'revokeChatInviteLink', params, opts);
const createSub = (params, opts, token = B1.token) =>
  srv.api(token, 'createChatSubscriptionInviteLink', params, opts);
const editSub = (params, opts, token = B1.token) => srv.api(token, 'editChatSubscriptionInviteLink', params, opts);
const approve = (params, opts) => srv.api(B1.token, 'approveChatJoinRequest', params, opts);
const decline = (params, opts) => srv.api(B1.token, 'declineChatJoinRequest', params, opts);

async function newLink(chatId, props = {}, token = B1.token) {
  const res = await create({ chat_id: chatId, ...props }, undefined, token);
  assert.equal(res.status, 200, res.text);
  return res.json.result.invite_link;
}

// ---------------------------------------------------------------------------------------------
// createChatInviteLink

test('createChatInviteLink: a bare link, exact JSON, listed, joinable', async () => {
  const r = expectLinkResult(await create({ chat_id: SG_MAIN }), {});
  assert.deepEqual(Object.keys(r), ['invite_link', 'creator', 'creates_join_request', 'is_primary', 'is_revoked']);
  const entry = await findLink(srv, SG_MAIN, r.invite_link);
  assert.equal(entry.creator_id, B1.id);
  assert.equal(entry.is_primary, false);
  assert.equal(entry.is_revoked, false);
  assert.equal(entry.creates_join_request, false);
  assert.equal(entry.name, undefined);
  const u = await newUser();
  await expectJoinOk(srv, u, r.invite_link, SG_MAIN);
  // an additional link is not the primary link: getChat's invite_link is another one
  const chat = expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_MAIN }));
  assert.notEqual(chat.invite_link, r.invite_link);
});

test('createChatInviteLink: every property, in spec order', async () => {
  const now = await serverNow(srv);
  const res = await create({ chat_id: SG_MAIN, name: 'spring promo', expire_date: now + 3600, member_limit: 10 });
  const r = expectLinkResult(res, { name: 'spring promo', expire_date: now + 3600, member_limit: 10 });
  assert.deepEqual(Object.keys(r), [
    'invite_link',
    'name',
    'creator',
    'expire_date',
    'member_limit',
    'creates_join_request',
    'is_primary',
    'is_revoked',
  ]);
  assert.deepEqual(r.creator, botUser(B1));
  assert.deepEqual(Object.keys(r.creator), ['id', 'is_bot', 'first_name', 'username']);
  const entry = await findLink(srv, SG_MAIN, r.invite_link);
  assert.equal(entry.name, 'spring promo');
  assert.equal(entry.expire_date, now + 3600);
  assert.equal(entry.member_limit, 10);
  assert.equal(entry.creates_join_request, false);
});

test('createChatInviteLink: creates_join_request', async () => {
  const r = expectLinkResult(
    await create({ chat_id: SG_MAIN, name: 'approval', creates_join_request: true }),
    { name: 'approval', creates_join_request: true },
  );
  assert.equal((await findLink(srv, SG_MAIN, r.invite_link)).creates_join_request, true);
  // member_limit 0 (or a negative one, clamped to 0) is no conflict
  expectLinkResult(await create({ chat_id: SG_MAIN, creates_join_request: true, member_limit: 0 }), {
    creates_join_request: true,
  });
  expectLinkResult(await create({ chat_id: SG_MAIN, creates_join_request: true, member_limit: -7 }), {
    creates_join_request: true,
  });
  // lenient booleans
  for (const v of ['true', 'True', 'yes', '1']) {
    expectLinkResult(await create({ chat_id: SG_MAIN, creates_join_request: v }), { creates_join_request: true }, v);
  }
  for (const v of ['false', '0', 'no', 'abc', '']) {
    expectLinkResult(await create({ chat_id: SG_MAIN, creates_join_request: v, member_limit: 3 }), { member_limit: 3 }, v);
  }
});

test('createChatInviteLink: every chat type, by id and by @username; each link lets a user join', async () => {
  for (const [chatId, ref] of [
    [SG_MAIN, SG_MAIN],
    [SG_MAIN, '@demo_group'],
    [SG_MAIN, '@DEMO_GROUP'],
    [SG_MAIN, String(SG_MAIN)],
    [SG_CREATOR, SG_CREATOR],
    [CH_MAIN, CH_MAIN],
    [CH_MAIN, '@demo_channel'],
    [GR_MAIN, GR_MAIN],
  ]) {
    const r = expectLinkResult(await create({ chat_id: ref, name: `via ${ref}` }), { name: `via ${ref}` }, String(ref));
    const entry = await findLink(srv, chatId, r.invite_link);
    assert.equal(entry.chat_id, chatId, String(ref));
    const u = await newUser();
    const j = await expectJoinOk(srv, u, r.invite_link, chatId);
    assert.equal(j.invite_link, r.invite_link);
  }
});

test('createChatInviteLink: the four request encodings', async () => {
  const now = await serverNow(srv);
  for (const encoding of ['json', 'form', 'query', 'multipart']) {
    const params = {
      chat_id: SG_MAIN,
      name: `enc ${encoding}`,
      expire_date: now + 7200,
      member_limit: 7,
      creates_join_request: false,
    };
    const r = expectLinkResult(
      await create(params, { encoding }),
      { name: `enc ${encoding}`, expire_date: now + 7200, member_limit: 7 },
      encoding,
    );
    const entry = await findLink(srv, SG_MAIN, r.invite_link);
    assert.equal(entry.name, `enc ${encoding}`, encoding);
    assert.equal(entry.member_limit, 7, encoding);

    const r2 = expectLinkResult(
      await create({ chat_id: '@demo_group', name: 'ü ✓', creates_join_request: true }, { encoding }),
      { name: 'ü ✓', creates_join_request: true },
      `${encoding} approval`,
    );
    assert.equal((await findLink(srv, SG_MAIN, r2.invite_link)).name, 'ü ✓');

    // errors look the same whatever the encoding
    expectError(
      await create({ chat_id: SG_MAIN, member_limit: 5, creates_join_request: true }, { encoding }),
      400,
      CONFLICT,
      undefined,
      encoding,
    );
    expectError(await create({ chat_id: SG_NORIGHTS }, { encoding }), 400, RIGHTS, undefined, encoding);
  }
});

test('createChatInviteLink: names are cut to 32 code points, then whitespace-collapsed (TDLib clean_name)', async () => {
  const cases = [
    ['  Spring   promo \n\n 2026  ', 'Spring promo 2026'],
    ['\t tabs\tand \r\n newlines \n', 'tabs and newlines'],
    ['a'.repeat(32), 'a'.repeat(32)],
    ['a'.repeat(33), 'a'.repeat(32)],
    ['b'.repeat(100), 'b'.repeat(32)],
    // an emoji is one code point (two UTF-16 units, four UTF-8 bytes)
    ['\u{1F600}' + 'c'.repeat(40), '\u{1F600}' + 'c'.repeat(31)],
    ['d'.repeat(31) + '\u{1F600}' + 'tail', 'd'.repeat(31) + '\u{1F600}'],
    ['\u{1F600}'.repeat(40), '\u{1F600}'.repeat(32)],
    ['Caf\u00e9 \u{1F600}' + 'e'.repeat(40), 'Caf\u00e9 \u{1F600}' + 'e'.repeat(26)],
    // the cut comes before the collapse (issue 13): each space of a run counts
    ['x   '.repeat(20), 'x x x x x x x x'],
    ['f'.repeat(20) + '          ' + 'g'.repeat(20), 'f'.repeat(20) + ' gg'],
    // a cut right after a space leaves no trailing space
    ['h'.repeat(31) + '     ' + 'iii', 'h'.repeat(31)],
    ['   ', ''],
    ['', ''],
    // only empty characters (zero-width, BOM, NBSP, spaces): no name at all
    ['\u200B\u200C\u200D\u200E\u200F\uFEFF', ''],
    ['\u00A0 \u200B\n\u00A0', ''],
    // empty characters beside visible ones stay, but NBSPs collapse like spaces
    ['\u200Bpromo\u200B', '\u200Bpromo\u200B'],
    ['\u00A0promo\u00A0\u00A0x\u00A0', 'promo x'],
    // wide spaces become spaces before the trim
    ['\u2003\u3000wide\u2002\u2002space\u3000', 'wide space'],
  ];
  for (const [input, expected] of cases) {
    assert.ok([...expected].length <= 32);
    const r = expectLinkResult(
      await create({ chat_id: SG_MAIN, name: input }),
      { name: expected },
      `name ${JSON.stringify(input)}`,
    );
    assert.equal((await findLink(srv, SG_MAIN, r.invite_link)).name, expected === '' ? undefined : expected);
  }
  // A JSON number is read as its text.
  expectLinkResult(await create({ chat_id: SG_MAIN, name: 12345 }), { name: '12345' });
  // Every encoding cuts the same way.
  for (const encoding of ['form', 'query', 'multipart']) {
    expectLinkResult(
      await create({ chat_id: SG_MAIN, name: '\u{1F600}  ' + 'k'.repeat(40) }, { encoding }),
      { name: '\u{1F600} ' + 'k'.repeat(29) },
      encoding,
    );
  }
});

test('link names that are not UTF-8 are refused after the chat is found (TDLib CLEAN_INPUT_STRING)', async () => {
  const form = async (method, body, token = B1.token) => {
    const res = await fetch(`${srv.base}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const UTF8 = 'Bad Request: strings must be encoded in UTF-8';
  const before = (await listLinks(srv, SG_MAIN)).length;
  expectError(await form('createChatInviteLink', `chat_id=${SG_MAIN}&name=a%FF`), 400, UTF8);
  // before the rights and the server's checks, after the chat
  expectError(await form('createChatInviteLink', `chat_id=${SG_NORIGHTS}&name=%C3&expire_date=1`), 400, UTF8);
  expectError(await form('createChatInviteLink', `chat_id=-1001999999999&name=%FF`), 400, NOT_FOUND);
  const link = await newLink(SG_MAIN, { name: 'kept' });
  expectError(
    await form('editChatInviteLink', `chat_id=${SG_MAIN}&invite_link=${encodeURIComponent(link)}&name=%ED%A0%80`),
    400,
    UTF8,
  );
  assert.equal((await findLink(srv, SG_MAIN, link)).name, 'kept');
  expectError(await form('createChatSubscriptionInviteLink', `chat_id=${CH_MAIN}&name=%FF&subscription_period=${PERIOD}&subscription_price=5`), 400, UTF8);
  assert.equal((await listLinks(srv, SG_MAIN)).length, before + 1, 'only the good link was made');
});

test('createChatInviteLink: member_limit and expire_date parsing and clamping', async () => {
  const now = await serverNow(srv);
  const ok = [
    [{ member_limit: 1 }, { member_limit: 1 }],
    [{ member_limit: 99999 }, { member_limit: 99999 }],
    [{ member_limit: '42' }, { member_limit: 42 }],
    [{ member_limit: '12abc' }, { member_limit: 12 }],
    [{ member_limit: 'abc' }, {}],
    [{ member_limit: '' }, {}],
    [{ member_limit: 0 }, {}],
    [{ member_limit: -5 }, {}],
    [{ expire_date: 0 }, {}],
    [{ expire_date: -100 }, {}],
    [{ expire_date: 'abc' }, {}],
    [{ expire_date: now + 86400 }, { expire_date: now + 86400 }],
    [{ expire_date: `${now + 600}xyz` }, { expire_date: now + 600 }],
  ];
  for (const [params, fields] of ok) {
    const r = expectLinkResult(await create({ chat_id: SG_MAIN, ...params }), fields, JSON.stringify(params));
    const entry = await findLink(srv, SG_MAIN, r.invite_link);
    assert.equal(entry.member_limit, fields.member_limit, JSON.stringify(params));
    assert.equal(entry.expire_date, fields.expire_date, JSON.stringify(params));
  }
  // 100000 passes the clamp and is refused; anything larger is clamped to 100000 first.
  for (const limit of [100000, 100001, 1000000, '2147483647']) {
    expectError(await create({ chat_id: SG_MAIN, member_limit: limit }), 400, USAGE_INVALID, undefined, `limit ${limit}`);
  }
  // An expiry not after the server's now is refused.
  for (const date of [1, now - 1, now - 86400]) {
    expectError(await create({ chat_id: SG_MAIN, expire_date: date }), 400, EXPIRE_INVALID, undefined, `date ${date}`);
  }
  // EXPIRE_DATE_INVALID comes before USAGE_LIMIT_INVALID
  expectError(await create({ chat_id: SG_MAIN, expire_date: 1, member_limit: 100000 }), 400, EXPIRE_INVALID);
});

test('createChatInviteLink: chat resolution and access errors come first', async () => {
  const bad = { member_limit: 5, creates_join_request: true, expire_date: 1 };
  expectError(await srv.api(B1.token, 'createChatInviteLink'), 400, CHAT_EMPTY);
  expectError(await create({ ...bad }), 400, CHAT_EMPTY);
  expectError(await create({ chat_id: '', ...bad }), 400, CHAT_EMPTY);
  expectError(await create({ chat_id: -1001999999999, ...bad }), 400, NOT_FOUND);
  expectError(await create({ chat_id: SG_NORECORD, ...bad }), 400, NOT_FOUND);
  expectError(await create({ chat_id: '@nosuchname', ...bad }), 400, NOT_FOUND);
  expectError(await create({ chat_id: UNKNOWN_USER, ...bad }), 400, NOT_FOUND);
  expectError(await create({ chat_id: ALICE, ...bad }), 400, PRIVATE);
  expectError(await create({ chat_id: B2.id, ...bad }), 400, PRIVATE);
  expectError(await create({ chat_id: SG_KICKED, ...bad }), 403, 'Forbidden: bot was kicked from the supergroup chat');
  expectError(await create({ chat_id: SG_LEFT, ...bad }), 403, 'Forbidden: bot is not a member of the supergroup chat');
  expectError(
    await create({ chat_id: SG_PUB_NORECORD, ...bad }),
    403,
    'Forbidden: bot is not a member of the supergroup chat',
  );
  expectError(await create({ chat_id: CH_KICKED, ...bad }), 403, 'Forbidden: bot was kicked from the channel chat');
});

test('createChatInviteLink: the approval/limit conflict comes before the rights check', async () => {
  for (const chatId of [SG_MAIN, SG_NORIGHTS, SG_MEMBER, SG_RESTRICTED, CH_NORIGHTS, GR_MEMBER, GR_NORIGHTS]) {
    expectError(
      await create({ chat_id: chatId, creates_join_request: true, member_limit: 5 }),
      400,
      CONFLICT,
      undefined,
      `chat ${chatId}`,
    );
    // and before the date and limit checks of the server
    expectError(
      await create({ chat_id: chatId, creates_join_request: true, member_limit: 100000, expire_date: 1 }),
      400,
      CONFLICT,
      undefined,
      `chat ${chatId}`,
    );
  }
});

test('createChatInviteLink: rights come before EXPIRE_DATE_INVALID and USAGE_LIMIT_INVALID', async () => {
  for (const chatId of [SG_NORIGHTS, SG_MEMBER, SG_RESTRICTED, CH_NORIGHTS, GR_MEMBER, GR_NORIGHTS]) {
    expectError(await create({ chat_id: chatId }), 400, RIGHTS, undefined, `chat ${chatId}`);
    expectError(
      await create({ chat_id: chatId, expire_date: 1, member_limit: 100000 }),
      400,
      RIGHTS,
      undefined,
      `chat ${chatId}`,
    );
  }
});

test('a failed create leaves no link behind', async () => {
  const before = (await listLinks(srv, SG_MAIN)).length;
  await create({ chat_id: SG_MAIN, member_limit: 100000 });
  await create({ chat_id: SG_MAIN, expire_date: 5 });
  await create({ chat_id: SG_MAIN, member_limit: 1, creates_join_request: true });
  assert.equal((await listLinks(srv, SG_MAIN)).length, before);
});

// ---------------------------------------------------------------------------------------------
// editChatInviteLink

test('editChatInviteLink: full replacement, every omitted property is reset', async () => {
  const now = await serverNow(srv);
  const link = await newLink(SG_MAIN, { name: 'original', expire_date: now + 3600, member_limit: 50 });

  // only a name: expiry and limit are gone
  expectLinkResult(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'renamed' }), {
    invite_link: link,
    name: 'renamed',
  });
  let entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.name, 'renamed');
  assert.equal(entry.expire_date, undefined);
  assert.equal(entry.member_limit, undefined);

  // expiry and limit only: the name is gone
  expectLinkResult(
    await edit({ chat_id: SG_MAIN, invite_link: link, expire_date: now + 7200, member_limit: 3 }),
    { invite_link: link, expire_date: now + 7200, member_limit: 3 },
  );
  entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.name, undefined);
  assert.equal(entry.expire_date, now + 7200);
  assert.equal(entry.member_limit, 3);

  // the approval flag only
  expectLinkResult(await edit({ chat_id: SG_MAIN, invite_link: link, creates_join_request: true }), {
    invite_link: link,
    creates_join_request: true,
  });
  entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.creates_join_request, true);
  assert.equal(entry.member_limit, undefined);

  // nothing at all: a bare link again
  expectLinkResult(await edit({ chat_id: SG_MAIN, invite_link: link }), { invite_link: link });
  entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.creates_join_request, false);
  assert.equal(entry.is_revoked, false);

  // all four, with the name cleaned and cut as on create
  expectLinkResult(
    await edit({
      chat_id: '@demo_group',
      invite_link: link,
      name: '  \u{1F389}   party ' + 'z'.repeat(40),
      expire_date: now + 100,
      member_limit: 99999,
      creates_join_request: false,
    }),
    { invite_link: link, name: '\u{1F389} party ' + 'z'.repeat(22), expire_date: now + 100, member_limit: 99999 },
  );
  // still the same link that works
  const u = await newUser();
  await expectJoinOk(srv, u, link, SG_MAIN);
});

test('editChatInviteLink: the four encodings', async () => {
  const now = await serverNow(srv);
  for (const encoding of ['json', 'form', 'query', 'multipart']) {
    const link = await newLink(CH_MAIN, { name: 'before' });
    expectLinkResult(
      await edit({ chat_id: CH_MAIN, invite_link: link, name: `after ${encoding}`, expire_date: now + 500, member_limit: 2 }, { encoding }),
      { invite_link: link, name: `after ${encoding}`, expire_date: now + 500, member_limit: 2 },
      encoding,
    );
  }
});

test('editChatInviteLink: check order (rights, conflict, empty link, then the link)', async () => {
  // chat first, even with everything else wrong
  expectError(await edit({ invite_link: '', creates_join_request: true, member_limit: 1 }), 400, CHAT_EMPTY);
  expectError(await edit({ chat_id: SG_KICKED, invite_link: '' }), 403, 'Forbidden: bot was kicked from the supergroup chat');
  expectError(await edit({ chat_id: ALICE, invite_link: '' }), 400, PRIVATE);
  // rights before the conflict and before the empty link
  for (const chatId of [SG_NORIGHTS, SG_MEMBER, CH_NORIGHTS, GR_NORIGHTS]) {
    expectError(
      await edit({ chat_id: chatId, invite_link: '', creates_join_request: true, member_limit: 1 }),
      400,
      RIGHTS,
      undefined,
      `chat ${chatId}`,
    );
    expectError(await edit({ chat_id: chatId }), 400, RIGHTS, undefined, `chat ${chatId}`);
  }
  // the conflict before the empty link
  expectError(await edit({ chat_id: SG_MAIN, invite_link: '', creates_join_request: true, member_limit: 1 }), 400, CONFLICT);
  expectError(await edit({ chat_id: SG_MAIN, creates_join_request: true, member_limit: 1 }), 400, CONFLICT);
  // the empty link
  expectError(await edit({ chat_id: SG_MAIN }), 400, EMPTY_LINK);
  expectError(await edit({ chat_id: SG_MAIN, invite_link: '' }), 400, EMPTY_LINK);
  expectError(await edit({ chat_id: SG_MAIN, invite_link: '', name: 'x', expire_date: 1 }), 400, EMPTY_LINK);
});

test('editChatInviteLink: unknown, foreign, other admins\', revoked and primary links', async () => {
  const mineInChannel = await newLink(CH_MAIN, { name: 'channel link' });
  const b2Link = await newLink(SG_MAIN, { name: 'by B2' }, B2.token);
  const revoked = await newLink(SG_MAIN, { name: 'to revoke' });
  expectOk(await revoke({ chat_id: SG_MAIN, invite_link: revoked }));
  const primary = await exportLink(srv, B1.token, SG_MAIN);
  const b2Primary = await exportLink(srv, B2.token, SG_MAIN);

  const cases = [
    ['unknown', 'https://t.me/+AAAAAAAAAAAAAAAA', EXPIRED],
    ['garbage', 'not a link', EXPIRED],
    ['another chat', mineInChannel, EXPIRED],
    ['another administrator', b2Link, EXPIRED],
    ["another administrator's primary", b2Primary, EXPIRED],
    ['revoked', revoked, EXPIRED],
    ['primary', primary, PERMANENT],
  ];
  for (const [what, link, description] of cases) {
    expectError(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'hijack' }), 400, description, undefined, what);
  }
  // none of them changed
  assert.equal((await findLink(srv, CH_MAIN, mineInChannel)).name, 'channel link');
  assert.equal((await findLink(srv, SG_MAIN, b2Link)).name, 'by B2');
  assert.equal((await findLink(srv, SG_MAIN, revoked)).name, 'to revoke');
  assert.equal((await findLink(srv, SG_MAIN, revoked)).is_revoked, true);
  assert.equal((await findLink(srv, SG_MAIN, primary)).name, undefined);
  // B2 may edit its own link
  expectLinkResult(
    await edit({ chat_id: SG_MAIN, invite_link: b2Link, name: 'by B2, edited' }, undefined, B2.token),
    { invite_link: b2Link, name: 'by B2, edited', creator: botUser(B2) },
  );
});

test('editChatInviteLink: EXPIRE_DATE_INVALID and USAGE_LIMIT_INVALID; a refused edit changes nothing', async () => {
  const now = await serverNow(srv);
  const link = await newLink(SG_MAIN, { name: 'keep me', member_limit: 4 });
  expectError(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'x', expire_date: 1 }), 400, EXPIRE_INVALID);
  expectError(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'x', expire_date: now - 10 }), 400, EXPIRE_INVALID);
  expectError(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'x', member_limit: 100000 }), 400, USAGE_INVALID);
  expectError(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'x', member_limit: 5000000 }), 400, USAGE_INVALID);
  const entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.name, 'keep me');
  assert.equal(entry.member_limit, 4);
  // clamped values are fine
  expectLinkResult(await edit({ chat_id: SG_MAIN, invite_link: link, expire_date: -1, member_limit: 'abc' }), {
    invite_link: link,
  });
});

// ---------------------------------------------------------------------------------------------
// revokeChatInviteLink

test('revokeChatInviteLink: an additional link, returned revoked with its properties', async () => {
  const now = await serverNow(srv);
  const link = await newLink(SG_MAIN, { name: 'short lived', expire_date: now + 900, member_limit: 8 });
  const fields = { invite_link: link, name: 'short lived', expire_date: now + 900, member_limit: 8, is_revoked: true };
  const res = await revoke({ chat_id: SG_MAIN, invite_link: link });
  expectLinkResult(res, fields);
  const entry = await findLink(srv, SG_MAIN, link);
  assert.equal(entry.is_revoked, true);
  assert.equal(entry.is_primary, false);
  const u = await newUser();
  await expectJoinRefused(srv, u, link, EXPIRED);
  // revoking it again answers the same link, unchanged
  const again = await revoke({ chat_id: SG_MAIN, invite_link: link });
  expectLinkResult(again, fields);
  assert.equal(again.text, res.text);
  // and it cannot be edited back to life
  expectError(await edit({ chat_id: SG_MAIN, invite_link: link, name: 'revive' }), 400, EXPIRED);
  await expectJoinRefused(srv, u, link, EXPIRED);
});

test('revokeChatInviteLink: join-request links and the four encodings', async () => {
  for (const encoding of ['json', 'form', 'query', 'multipart']) {
    const link = await newLink(GR_MAIN, { name: encoding, creates_join_request: true });
    expectLinkResult(
      await revoke({ chat_id: GR_MAIN, invite_link: link }, { encoding }),
      { invite_link: link, name: encoding, creates_join_request: true, is_revoked: true },
      encoding,
    );
  }
});

test('revokeChatInviteLink: errors', async () => {
  const mineInChannel = await newLink(CH_MAIN);
  const b2Link = await newLink(SG_MAIN, {}, B2.token);
  expectError(await revoke({ invite_link: mineInChannel }), 400, CHAT_EMPTY);
  expectError(await revoke({ chat_id: SG_NORECORD, invite_link: mineInChannel }), 400, NOT_FOUND);
  expectError(await revoke({ chat_id: ALICE, invite_link: mineInChannel }), 400, PRIVATE);
  expectError(await revoke({ chat_id: CH_KICKED, invite_link: '' }), 403, 'Forbidden: bot was kicked from the channel chat');
  for (const chatId of [SG_NORIGHTS, SG_MEMBER, CH_NORIGHTS, GR_MEMBER]) {
    expectError(await revoke({ chat_id: chatId, invite_link: '' }), 400, RIGHTS, undefined, `chat ${chatId}`);
    expectError(await revoke({ chat_id: chatId }), 400, RIGHTS, undefined, `chat ${chatId}`);
  }
  expectError(await revoke({ chat_id: SG_MAIN }), 400, EMPTY_LINK);
  expectError(await revoke({ chat_id: SG_MAIN, invite_link: '' }), 400, EMPTY_LINK);
  expectError(await revoke({ chat_id: SG_MAIN, invite_link: 'https://t.me/+AAAAAAAAAAAAAAAA' }), 400, EXPIRED);
  expectError(await revoke({ chat_id: SG_MAIN, invite_link: mineInChannel }), 400, EXPIRED);
  expectError(await revoke({ chat_id: SG_MAIN, invite_link: b2Link }), 400, EXPIRED);
  // nothing was revoked
  assert.equal((await findLink(srv, CH_MAIN, mineInChannel)).is_revoked, false);
  assert.equal((await findLink(srv, SG_MAIN, b2Link)).is_revoked, false);
  const u = await newUser();
  await expectJoinOk(srv, u, b2Link, SG_MAIN);
});

test('revokeChatInviteLink: the primary link is replaced by a new one; the old one lets nobody in', async () => {
  for (const chatId of [SG_MAIN, CH_MAIN, GR_MAIN]) {
    const extra = await newLink(chatId, { name: 'extra' });
    const old = expectOk(await srv.api(B1.token, 'getChat', { chat_id: chatId })).invite_link;
    expectLink(old);
    const before = await findLink(srv, chatId, old);
    assert.equal(before.is_primary, true);
    assert.equal(before.is_revoked, false);

    const res = await revoke({ chat_id: chatId, invite_link: old });
    expectLinkResult(res, { invite_link: old, is_primary: true, is_revoked: true }, `chat ${chatId}`);

    const fresh = expectOk(await srv.api(B1.token, 'getChat', { chat_id: chatId })).invite_link;
    expectLink(fresh);
    assert.notEqual(fresh, old, `chat ${chatId}: a new primary link`);
    const oldEntry = await findLink(srv, chatId, old);
    assert.equal(oldEntry.is_primary, true);
    assert.equal(oldEntry.is_revoked, true);
    const freshEntry = await findLink(srv, chatId, fresh);
    assert.equal(freshEntry.is_primary, true);
    assert.equal(freshEntry.is_revoked, false);
    assert.equal(freshEntry.creator_id, B1.id);
    const active = (await listLinks(srv, chatId)).filter((l) => l.creator_id === B1.id && l.is_primary && !l.is_revoked);
    assert.deepEqual(active.map((l) => l.invite_link), [fresh], `chat ${chatId}: one active primary link`);

    const u1 = await newUser();
    const u2 = await newUser();
    await expectJoinRefused(srv, u1, old, EXPIRED);
    await expectJoinOk(srv, u1, fresh, chatId);
    // the bot's additional links are untouched
    assert.equal((await findLink(srv, chatId, extra)).is_revoked, false);
    await expectJoinOk(srv, u2, extra, chatId);

    // revoking the old primary link again changes nothing
    const again = await revoke({ chat_id: chatId, invite_link: old });
    assert.equal(again.text, res.text);
    assert.equal(expectOk(await srv.api(B1.token, 'getChat', { chat_id: chatId })).invite_link, fresh);
    assert.equal((await findLink(srv, chatId, fresh)).is_revoked, false);
  }
});

test('revokeChatInviteLink: the link from exportChatInviteLink, then export again', async () => {
  const p1 = await exportLink(srv, B1.token, SG_CREATOR);
  expectLinkResult(await revoke({ chat_id: SG_CREATOR, invite_link: p1 }, { encoding: 'form' }), {
    invite_link: p1,
    is_primary: true,
    is_revoked: true,
  });
  const p2 = expectOk(await srv.api(B1.token, 'getChat', { chat_id: SG_CREATOR })).invite_link;
  assert.notEqual(p2, p1);
  const p3 = await exportLink(srv, B1.token, SG_CREATOR);
  assert.notEqual(p3, p2);
  assert.equal((await findLink(srv, SG_CREATOR, p2)).is_revoked, true);
  expectError(await edit({ chat_id: SG_CREATOR, invite_link: p3, name: 'x' }), 400, PERMANENT);
  const u = await newUser();
  await expectJoinRefused(srv, u, p1, EXPIRED);
  await expectJoinRefused(srv, u, p2, EXPIRED);
  await expectJoinOk(srv, u, p3, SG_CREATOR);
});

// ---------------------------------------------------------------------------------------------
// Subscription links

test('createChatSubscriptionInviteLink: a channel link with a period and a price', async () => {
  const r = expectLinkResult(
    await createSub({ chat_id: CH_MAIN, name: 'monthly', subscription_period: PERIOD, subscription_price: 50 }),
    { name: 'monthly', subscription_period: PERIOD, subscription_price: 50 },
  );
  assert.deepEqual(Object.keys(r), [
    'invite_link',
    'name',
    'creator',
    'subscription_period',
    'subscription_price',
    'creates_join_request',
    'is_primary',
    'is_revoked',
  ]);
  const entry = await findLink(srv, CH_MAIN, r.invite_link);
  assert.equal(entry.creator_id, B1.id);
  assert.equal(entry.is_primary, false);
  // by @username, every encoding, the extreme prices, no name
  for (const encoding of ['json', 'form', 'query', 'multipart']) {
    for (const price of [1, 10000]) {
      expectLinkResult(
        await createSub(
          { chat_id: '@demo_channel', subscription_period: String(PERIOD), subscription_price: String(price) },
          { encoding },
        ),
        { subscription_period: PERIOD, subscription_price: price },
        `${encoding} ${price}`,
      );
    }
  }
  // a user joins through it
  const u = await newUser();
  await expectJoinOk(srv, u, r.invite_link, CH_MAIN);
  // the name is cleaned and cut as elsewhere
  expectLinkResult(
    await createSub({ chat_id: CH_MAIN, name: ' \u{1F4B0}  ' + 's'.repeat(50), subscription_period: PERIOD, subscription_price: 5 }),
    { name: '\u{1F4B0} ' + 's'.repeat(29), subscription_period: PERIOD, subscription_price: 5 },
  );
});

test('createChatSubscriptionInviteLink: errors in order', async () => {
  // chat resolution and access first
  expectError(await createSub({ subscription_period: 0, subscription_price: 0 }), 400, CHAT_EMPTY);
  expectError(await createSub({ chat_id: CH_KICKED }), 403, 'Forbidden: bot was kicked from the channel chat');
  expectError(await createSub({ chat_id: ALICE }), 400, PRIVATE);
  // then the pricing, before the rights
  const badPricing = [
    {},
    { subscription_period: PERIOD },
    { subscription_price: 10 },
    { subscription_period: 0, subscription_price: 10 },
    { subscription_period: PERIOD, subscription_price: 0 },
    { subscription_period: -PERIOD, subscription_price: 10 },
    { subscription_period: PERIOD, subscription_price: -1 },
    { subscription_period: 'abc', subscription_price: 'abc' },
  ];
  for (const chatId of [CH_MAIN, CH_NORIGHTS, SG_MAIN, SG_NORIGHTS, GR_MEMBER]) {
    for (const p of badPricing) {
      expectError(await createSub({ chat_id: chatId, ...p }), 400, PRICING, undefined, `${chatId} ${JSON.stringify(p)}`);
    }
  }
  // then the rights
  for (const chatId of [CH_NORIGHTS, SG_NORIGHTS, SG_MEMBER, GR_MEMBER]) {
    expectError(
      await createSub({ chat_id: chatId, subscription_period: 1, subscription_price: 999999 }),
      400,
      RIGHTS,
      undefined,
      `chat ${chatId}`,
    );
  }
  // then: only channels
  for (const chatId of [SG_MAIN, GR_MAIN, '@demo_group']) {
    expectError(
      await createSub({ chat_id: chatId, subscription_period: PERIOD, subscription_price: 10 }),
      400,
      PEER_INVALID,
      undefined,
      `chat ${chatId}`,
    );
  }
  // then the period, then the price
  for (const period of [1, 60, 300, PERIOD - 1, PERIOD + 1, 1000000000, 2000000000]) {
    expectError(
      await createSub({ chat_id: CH_MAIN, subscription_period: period, subscription_price: 10 }),
      400,
      PERIOD_INVALID,
      undefined,
      `period ${period}`,
    );
  }
  expectError(await createSub({ chat_id: CH_MAIN, subscription_period: 60, subscription_price: 10001 }), 400, PERIOD_INVALID);
  for (const price of [10001, 1000000, 5000000]) {
    expectError(
      await createSub({ chat_id: CH_MAIN, subscription_period: PERIOD, subscription_price: price }),
      400,
      PRICE_INVALID,
      undefined,
      `price ${price}`,
    );
  }
});

test('editChatSubscriptionInviteLink: only the name changes', async () => {
  const { invite_link: link } = expectOk(
    await createSub({ chat_id: CH_MAIN, name: 'first', subscription_period: PERIOD, subscription_price: 99 }),
  );
  const sub = { invite_link: link, subscription_period: PERIOD, subscription_price: 99 };
  expectLinkResult(await editSub({ chat_id: CH_MAIN, invite_link: link, name: 'second' }), { ...sub, name: 'second' });
  assert.equal((await findLink(srv, CH_MAIN, link)).name, 'second');
  // other parameters are not read
  expectLinkResult(
    await editSub({
      chat_id: '@demo_channel',
      invite_link: link,
      name: 'third',
      expire_date: 1,
      member_limit: 100000,
      creates_join_request: true,
      subscription_price: 5,
    }),
    { ...sub, name: 'third' },
  );
  // no name: the name is removed
  expectLinkResult(await editSub({ chat_id: CH_MAIN, invite_link: link }, { encoding: 'form' }), sub);
  expectLinkResult(
    await editSub({ chat_id: CH_MAIN, invite_link: link, name: 'x'.repeat(40) }, { encoding: 'multipart' }),
    { ...sub, name: 'x'.repeat(32) },
  );

  // editChatInviteLink on a subscription link also takes only the name
  const now = await serverNow(srv);
  expectLinkResult(
    await edit({ chat_id: CH_MAIN, invite_link: link, name: 'via edit', expire_date: now + 100, member_limit: 5 }),
    { ...sub, name: 'via edit' },
  );

  // editChatSubscriptionInviteLink on an ordinary link changes only its name
  const plain = await newLink(CH_MAIN, { name: 'plain', expire_date: now + 3600, member_limit: 9 });
  expectLinkResult(await editSub({ chat_id: CH_MAIN, invite_link: plain, name: 'plain renamed' }), {
    invite_link: plain,
    name: 'plain renamed',
    expire_date: now + 3600,
    member_limit: 9,
  });

  // revoked with revokeChatInviteLink
  expectLinkResult(await revoke({ chat_id: CH_MAIN, invite_link: link }), { ...sub, name: 'via edit', is_revoked: true });
  const u = await newUser();
  await expectJoinRefused(srv, u, link, EXPIRED);
  expectError(await editSub({ chat_id: CH_MAIN, invite_link: link, name: 'again' }), 400, EXPIRED);
});

test('editChatSubscriptionInviteLink: errors', async () => {
  const primary = await exportLink(srv, B1.token, CH_MAIN);
  const inGroup = await newLink(SG_MAIN);
  expectError(await editSub({ invite_link: primary }), 400, CHAT_EMPTY);
  expectError(await editSub({ chat_id: CH_KICKED, invite_link: '' }), 403, 'Forbidden: bot was kicked from the channel chat');
  expectError(await editSub({ chat_id: CH_NORIGHTS, invite_link: '' }), 400, RIGHTS);
  expectError(await editSub({ chat_id: CH_NORIGHTS }), 400, RIGHTS);
  expectError(await editSub({ chat_id: CH_MAIN }), 400, EMPTY_LINK);
  expectError(await editSub({ chat_id: CH_MAIN, invite_link: '' }), 400, EMPTY_LINK);
  expectError(await editSub({ chat_id: CH_MAIN, invite_link: 'https://t.me/+AAAAAAAAAAAAAAAA' }), 400, EXPIRED);
  expectError(await editSub({ chat_id: CH_MAIN, invite_link: inGroup }), 400, EXPIRED);
  expectError(await editSub({ chat_id: CH_MAIN, invite_link: primary, name: 'x' }), 400, PERMANENT);
});

// ---------------------------------------------------------------------------------------------
// approveChatJoinRequest / declineChatJoinRequest

test('approve/decline: user_id is read first', async () => {
  for (const [method, call] of [
    ['approve', approve],
    ['decline', decline],
  ]) {
    for (const params of [
      {},
      { chat_id: SG_MAIN },
      { chat_id: SG_MAIN, user_id: 0 },
      { chat_id: SG_MAIN, user_id: -5 },
      { chat_id: SG_MAIN, user_id: 'abc' },
      { chat_id: SG_MAIN, user_id: '' },
      { user_id: 0 },
      { chat_id: SG_KICKED },
      { chat_id: ALICE, user_id: -1 },
    ]) {
      expectError(await call(params), 400, BAD_USER_ID, undefined, `${method} ${JSON.stringify(params)}`);
    }
    expectError(await srv.api(B1.token, `${method}ChatJoinRequest`), 400, BAD_USER_ID, undefined, method);
    expectError(await call({ user_id: CAROL }), 400, CHAT_EMPTY, undefined, method);
    expectError(await call({ chat_id: '', user_id: CAROL }), 400, CHAT_EMPTY, undefined, method);
  }
});

test('approve/decline: chat errors, private chats, rights, no pending request', async () => {
  for (const [method, call] of [
    ['approve', approve],
    ['decline', decline],
  ]) {
    const c = (params) => call({ user_id: CAROL, ...params });
    expectError(await c({ chat_id: SG_NORECORD }), 400, NOT_FOUND, undefined, method);
    expectError(await c({ chat_id: UNKNOWN_USER }), 400, NOT_FOUND, undefined, method);
    expectError(await c({ chat_id: '@nosuchname' }), 400, NOT_FOUND, undefined, method);
    expectError(await c({ chat_id: SG_KICKED }), 403, 'Forbidden: bot was kicked from the supergroup chat', undefined, method);
    expectError(await c({ chat_id: SG_LEFT }), 403, 'Forbidden: bot is not a member of the supergroup chat', undefined, method);
    expectError(await c({ chat_id: CH_KICKED }), 403, 'Forbidden: bot was kicked from the channel chat', undefined, method);
    for (const chatId of [ALICE, CAROL, B2.id, '@second_helper_bot']) {
      expectError(await c({ chat_id: chatId }), 400, NO_JOIN_REQUESTS, undefined, `${method} ${chatId}`);
    }
    for (const chatId of [SG_NORIGHTS, SG_MEMBER, SG_RESTRICTED, CH_NORIGHTS, GR_MEMBER, GR_NORIGHTS]) {
      expectError(await c({ chat_id: chatId }), 400, JR_RIGHTS, undefined, `${method} ${chatId}`);
    }
    for (const params of [
      { chat_id: SG_MAIN },
      { chat_id: '@demo_group' },
      { chat_id: CH_MAIN },
      { chat_id: GR_MAIN },
      { chat_id: SG_MAIN, user_id: FRANK },
      // an unknown user is no error of its own (check_user_no_fail)
      { chat_id: SG_MAIN, user_id: UNKNOWN_USER },
    ]) {
      expectError(await c(params), 400, HIDE_MISSING, undefined, `${method} ${JSON.stringify(params)}`);
    }
  }
});

test('approve/decline: an upgraded basic group answers with migrate_to_chat_id (spec 2.2.2, 3.6 step 2)', async () => {
  const up = await srv.control('POST', `/chats/${GR_UPGRADE}/upgrade`);
  assert.equal(up.status, 200, up.text);
  const newId = up.json.result.migrate_to_chat_id;
  const migrated = 'Bad Request: group chat was upgraded to a supergroup chat';
  // the link methods (for comparison: the same check_chat)
  expectError(await create({ chat_id: GR_UPGRADE }), 400, migrated, { migrate_to_chat_id: newId });
  expectError(await revoke({ chat_id: GR_UPGRADE, invite_link: 'x' }), 400, migrated, { migrate_to_chat_id: newId });
  // approve and decline call check_chat with write access too, before TDLib's "chat is deactivated"
  expectError(await approve({ chat_id: GR_UPGRADE, user_id: CAROL }), 400, migrated, { migrate_to_chat_id: newId }, 'approve');
  expectError(await decline({ chat_id: GR_UPGRADE, user_id: CAROL }), 400, migrated, { migrate_to_chat_id: newId }, 'decline');
  // user_id is still read first
  expectError(await approve({ chat_id: GR_UPGRADE }), 400, BAD_USER_ID);
});

test('approve and decline: happy paths, in every encoding', async () => {
  for (const encoding of ['json', 'form', 'query', 'multipart']) {
    const link = await newLink(SG_MAIN, { creates_join_request: true, name: `jr ${encoding}` });
    const ua = await newUser();
    const ud = await newUser();
    for (const u of [ua, ud]) {
      const res = await join(srv, u, link);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.result.status, 'pending');
    }
    const a = await approve({ chat_id: SG_MAIN, user_id: ua }, { encoding });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.text, '{"ok":true,"result":true}');
    const d = await decline({ chat_id: '@demo_group', user_id: String(ud) }, { encoding });
    assert.equal(d.text, '{"ok":true,"result":true}');
    assert.equal(expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: ua })).status, 'member');
    assert.equal(expectOk(await srv.api(B1.token, 'getChatMember', { chat_id: SG_MAIN, user_id: ud })).status, 'left');
    const states = Object.fromEntries((await joinRequests(srv, SG_MAIN)).map((r) => [r.user_id, r.state]));
    assert.equal(states[ua], 'approved', encoding);
    assert.equal(states[ud], 'declined', encoding);
    expectError(await approve({ chat_id: SG_MAIN, user_id: ua }, { encoding }), 400, HIDE_MISSING, undefined, encoding);
    expectError(await decline({ chat_id: SG_MAIN, user_id: ud }, { encoding }), 400, HIDE_MISSING, undefined, encoding);
  }
});

test('pending_join_request_count shows on the link the bot reads back', async () => {
  const now = await serverNow(srv);
  const link = await newLink(CH_MAIN, { name: 'vip', creates_join_request: true, expire_date: now + 5000 });
  const users = [await newUser(), await newUser(), await newUser()];
  for (const u of users) assert.equal((await join(srv, u, link)).json.result.status, 'pending');
  const r = expectLinkResult(
    await edit({ chat_id: CH_MAIN, invite_link: link, name: 'vip', creates_join_request: true, expire_date: now + 5000 }),
    { invite_link: link, name: 'vip', expire_date: now + 5000, pending_join_request_count: 3, creates_join_request: true },
  );
  assert.deepEqual(Object.keys(r), [
    'invite_link',
    'name',
    'creator',
    'expire_date',
    'pending_join_request_count',
    'creates_join_request',
    'is_primary',
    'is_revoked',
  ]);
  expectOk(await decline({ chat_id: CH_MAIN, user_id: users[0] }));
  expectOk(await approve({ chat_id: CH_MAIN, user_id: users[1] }));
  expectLinkResult(await edit({ chat_id: CH_MAIN, invite_link: link, creates_join_request: true }), {
    invite_link: link,
    pending_join_request_count: 1,
    creates_join_request: true,
  });
  // the revoked link still shows what is pending
  expectLinkResult(await revoke({ chat_id: CH_MAIN, invite_link: link }), {
    invite_link: link,
    pending_join_request_count: 1,
    creates_join_request: true,
    is_revoked: true,
  });
});

test('the server still serves after all of this', async () => {
  await expectAlive(srv);
  assert.equal(asciiJson('\u{1F600}'), '"\\ud83d\\ude00"');
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv);
});
