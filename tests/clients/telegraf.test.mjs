// Telegraf 4.16, unchanged but for apiRoot: errors surface as TelegramError
// { code, description, parameters } with the whole body in err.response.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Telegraf, Telegram, TelegramError } from 'telegraf';
import {
  BOT, ALICE, TOKEN, WRONG_TOKENS, DEMO_ID, DEMO_USERNAME, NO_RIGHTS_ID, PUBLIC_NOBOT_USERNAME,
  OLD_GROUP_ID, MISSING_USERNAME, LINK_RE, DESC, startClientServer, upgradeOldGroup, assertGetMe,
  assertOnlyLastActive, errorBody, thrown,
} from './helpers.mjs';

let srv;
let telegram;

before(async () => {
  srv = await startClientServer();
  telegram = new Telegram(TOKEN, { apiRoot: srv.base });
});
after(async () => {
  await srv?.close();
});

function assertTelegramError(err, method, code, description, parameters) {
  assert.ok(err instanceof TelegramError, `expected TelegramError, got ${err?.name}: ${err?.message}`);
  assert.equal(err.code, code);
  assert.equal(err.description, description);
  assert.deepEqual(err.parameters, parameters);
  assert.deepEqual(err.response, errorBody(code, description, parameters));
  assert.equal(err.message, `${code}: ${description}`);
  assert.equal(err.on.method, method);
}

test('Telegraf: getMe', async () => {
  assertGetMe(await telegram.getMe());
});

test('Telegraf: new Telegraf(token, { telegram: { apiRoot } }).telegram.getMe', async () => {
  const bot = new Telegraf(TOKEN, { telegram: { apiRoot: srv.base } });
  assertGetMe(await bot.telegram.getMe());
});

test('Telegraf: exportChatInviteLink by id and @username, only the last link active', async () => {
  const links = [];
  links.push(await telegram.exportChatInviteLink(DEMO_ID));
  links.push(await telegram.exportChatInviteLink(DEMO_ID));
  links.push(await telegram.exportChatInviteLink(DEMO_USERNAME));
  for (const l of links) assert.match(l, LINK_RE);
  await assertOnlyLastActive(srv, DEMO_ID, links);
});

test('Telegraf: @no_such_chat -> 400 chat not found', async () => {
  const err = await thrown(() => telegram.exportChatInviteLink(MISSING_USERNAME));
  assertTelegramError(err, 'exportChatInviteLink', 400, DESC.chatNotFound);
});

test('Telegraf: admin without can_invite_users -> 400 not enough rights', async () => {
  const err = await thrown(() => telegram.exportChatInviteLink(NO_RIGHTS_ID));
  assertTelegramError(err, 'exportChatInviteLink', 400, DESC.noRights);
});

test('Telegraf: public supergroup without the bot -> 403 not a member', async () => {
  const err = await thrown(() => telegram.exportChatInviteLink(PUBLIC_NOBOT_USERNAME));
  assertTelegramError(err, 'exportChatInviteLink', 403, DESC.notMember);
});

test('Telegraf: upgraded basic group -> 400 with parameters.migrate_to_chat_id', async () => {
  assert.match(await telegram.exportChatInviteLink(OLD_GROUP_ID), LINK_RE);
  const newId = await upgradeOldGroup(srv);
  const err = await thrown(() => telegram.exportChatInviteLink(OLD_GROUP_ID));
  assertTelegramError(err, 'exportChatInviteLink', 400, DESC.upgraded, { migrate_to_chat_id: newId });
  assert.match(await telegram.exportChatInviteLink(err.parameters.migrate_to_chat_id), LINK_RE);
});

test('Telegraf: wrong token -> 401 Unauthorized', async () => {
  for (const token of Object.values(WRONG_TOKENS)) {
    const bad = new Telegram(token, { apiRoot: srv.base });
    assertTelegramError(await thrown(() => bad.getMe()), 'getMe', 401, DESC.unauthorized);
    assertTelegramError(
      await thrown(() => bad.exportChatInviteLink(DEMO_ID)),
      'exportChatInviteLink', 401, DESC.unauthorized,
    );
  }
});

test('Telegraf: setMyCommands at start-up, then bot.launch() polls and handles /start', async () => {
  const bot = new Telegraf(TOKEN, { telegram: { apiRoot: srv.base } });
  const commands = [
    { command: 'start', description: 'Start the bot' },
    { command: 'help', description: 'How it works' },
  ];
  // What bots built on Telegraf do before launching; a 404 here used to end the process.
  assert.equal(await bot.telegram.setMyCommands(commands), true);
  assert.deepEqual(await bot.telegram.getMyCommands(), commands);
  const german = [{ command: 'hilfe', description: 'So geht es' }];
  const scope = { type: 'all_private_chats' };
  assert.equal(await bot.telegram.setMyCommands(german, { scope, language_code: 'de' }), true);
  assert.deepEqual(await bot.telegram.getMyCommands({ scope, language_code: 'de' }), german);
  assert.deepEqual(await bot.telegram.getMyCommands({ language_code: 'de' }), []);
  assert.equal(await bot.telegram.setMyDescription('Makes invite links', 'en'), true);
  assert.deepEqual(await bot.telegram.getMyDescription('en'), { description: 'Makes invite links' });
  assert.deepEqual(await bot.telegram.getMyName(), { name: BOT.first_name });
  const menuButton = { type: 'web_app', text: 'Open', web_app: { url: 'https://example.com/app' } };
  assert.equal(await bot.telegram.setChatMenuButton({ menuButton }), true);
  assert.deepEqual(await bot.telegram.getChatMenuButton(), menuButton);
  assert.deepEqual(await bot.telegram.getChatMenuButton({ chatId: ALICE }), { type: 'default' });
  assert.equal(
    await bot.telegram.setMyDefaultAdministratorRights({ rights: { can_invite_users: true } }),
    true,
  );
  const rights = await bot.telegram.getMyDefaultAdministratorRights();
  assert.equal(rights.can_invite_users, true);
  assert.equal(rights.can_manage_chat, true);
  const err = await thrown(() => bot.telegram.setMyCommands([{ command: 'Start', description: 'x' }]));
  assertTelegramError(err, 'setMyCommands', 400, 'Bad Request: BOT_COMMAND_INVALID');

  const started = new Promise((resolve) => bot.start((ctx) => resolve(ctx.message.text)));
  const launched = bot.launch();
  const said = await srv.control('POST', '/messages', { from: ALICE, chat_id: BOT.id, text: '/start' });
  assert.equal(said.status, 200, said.text);
  assert.equal(await started, '/start');
  bot.stop('test over');
  await launched;
});
