// node-telegram-bot-api 0.67, unchanged but for baseApiUrl. It sends form-urlencoded bodies and
// reports Bot API errors as TelegramError { code: 'ETELEGRAM' } with the HTTP response (parsed body
// in err.response.body, status in err.response.statusCode).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  TOKEN, WRONG_TOKENS, DEMO_ID, DEMO_USERNAME, NO_RIGHTS_ID, PUBLIC_NOBOT_USERNAME, OLD_GROUP_ID,
  MISSING_USERNAME, LINK_RE, DESC, startClientServer, upgradeOldGroup, assertGetMe,
  assertOnlyLastActive, errorBody, thrown,
} from './helpers.mjs';

const require = createRequire(import.meta.url);
const TelegramBot = require('node-telegram-bot-api');
const { version } = require('node-telegram-bot-api/package.json');
const { errors } = TelegramBot;

let srv;
let bot;

before(async () => {
  srv = await startClientServer();
  bot = new TelegramBot(TOKEN, { baseApiUrl: srv.base, polling: false });
});
after(async () => {
  await srv?.close();
});

function assertEtelegram(err, code, description, parameters) {
  assert.ok(err instanceof errors.TelegramError, `expected TelegramError, got ${err?.name}: ${err?.message}`);
  assert.equal(err.code, 'ETELEGRAM');
  assert.equal(err.message, `ETELEGRAM: ${code} ${description}`);
  assert.equal(err.response.statusCode, code);
  assert.equal(err.response.headers['content-type'], 'application/json');
  assert.deepEqual(err.response.body, errorBody(code, description, parameters));
}

test('ntba: the installed line is 0.67', () => {
  assert.equal(version, '0.67.0');
});

test('ntba: getMe', async () => {
  assertGetMe(await bot.getMe());
});

test('ntba: exportChatInviteLink by id and @username, only the last link active', async () => {
  const links = [];
  links.push(await bot.exportChatInviteLink(DEMO_ID));
  links.push(await bot.exportChatInviteLink(DEMO_ID));
  links.push(await bot.exportChatInviteLink(DEMO_USERNAME));
  for (const l of links) assert.match(l, LINK_RE);
  await assertOnlyLastActive(srv, DEMO_ID, links);
});

test('ntba: @no_such_chat -> 400 chat not found', async () => {
  assertEtelegram(await thrown(() => bot.exportChatInviteLink(MISSING_USERNAME)), 400, DESC.chatNotFound);
});

test('ntba: admin without can_invite_users -> 400 not enough rights', async () => {
  assertEtelegram(await thrown(() => bot.exportChatInviteLink(NO_RIGHTS_ID)), 400, DESC.noRights);
});

test('ntba: public supergroup without the bot -> 403 not a member', async () => {
  assertEtelegram(await thrown(() => bot.exportChatInviteLink(PUBLIC_NOBOT_USERNAME)), 403, DESC.notMember);
});

test('ntba: upgraded basic group -> 400 with parameters.migrate_to_chat_id', async () => {
  assert.match(await bot.exportChatInviteLink(OLD_GROUP_ID), LINK_RE);
  const newId = await upgradeOldGroup(srv);
  const err = await thrown(() => bot.exportChatInviteLink(OLD_GROUP_ID));
  assertEtelegram(err, 400, DESC.upgraded, { migrate_to_chat_id: newId });
  assert.match(await bot.exportChatInviteLink(err.response.body.parameters.migrate_to_chat_id), LINK_RE);
});

test('ntba: wrong token -> 401 Unauthorized', async () => {
  for (const token of Object.values(WRONG_TOKENS)) {
    const bad = new TelegramBot(token, { baseApiUrl: srv.base, polling: false });
    assertEtelegram(await thrown(() => bad.getMe()), 401, DESC.unauthorized);
    assertEtelegram(await thrown(() => bad.exportChatInviteLink(DEMO_ID)), 401, DESC.unauthorized);
  }
});
