// grammY, unchanged but for apiRoot: errors surface as GrammyError { error_code, description, parameters }.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Api, Bot, GrammyError } from 'grammy';
import {
  TOKEN, WRONG_TOKENS, DEMO_ID, DEMO_USERNAME, NO_RIGHTS_ID, PUBLIC_NOBOT_USERNAME, OLD_GROUP_ID,
  MISSING_USERNAME, LINK_RE, DESC, startClientServer, upgradeOldGroup, assertGetMe,
  assertOnlyLastActive, thrown,
} from './helpers.mjs';

let srv;
let api;

before(async () => {
  srv = await startClientServer();
  api = new Api(TOKEN, { apiRoot: srv.base });
});
after(async () => {
  await srv?.close();
});

function assertGrammyError(err, method, code, description, parameters = {}) {
  assert.ok(err instanceof GrammyError, `expected GrammyError, got ${err?.name}: ${err?.message}`);
  assert.equal(err.ok, false);
  assert.equal(err.method, method);
  assert.equal(err.error_code, code);
  assert.equal(err.description, description);
  assert.deepEqual(err.parameters, parameters);
  assert.equal(err.message, `Call to '${method}' failed! (${code}: ${description})`);
}

test('grammY: getMe through Api', async () => {
  assertGetMe(await api.getMe());
});

test('grammY: Bot.init() fills botInfo from getMe', async () => {
  const bot = new Bot(TOKEN, { client: { apiRoot: srv.base } });
  await bot.init();
  assertGetMe(bot.botInfo);
  assert.equal(bot.botInfo.is_bot, true);
});

test('grammY: exportChatInviteLink by id and @username, only the last link active', async () => {
  const links = [];
  links.push(await api.exportChatInviteLink(DEMO_ID));
  links.push(await api.exportChatInviteLink(DEMO_ID));
  links.push(await api.exportChatInviteLink(DEMO_USERNAME));
  for (const l of links) assert.match(l, LINK_RE);
  await assertOnlyLastActive(srv, DEMO_ID, links);
});

test('grammY: @no_such_chat -> 400 chat not found', async () => {
  const err = await thrown(() => api.exportChatInviteLink(MISSING_USERNAME));
  assertGrammyError(err, 'exportChatInviteLink', 400, DESC.chatNotFound);
});

test('grammY: admin without can_invite_users -> 400 not enough rights', async () => {
  const err = await thrown(() => api.exportChatInviteLink(NO_RIGHTS_ID));
  assertGrammyError(err, 'exportChatInviteLink', 400, DESC.noRights);
});

test('grammY: public supergroup without the bot -> 403 not a member', async () => {
  const err = await thrown(() => api.exportChatInviteLink(PUBLIC_NOBOT_USERNAME));
  assertGrammyError(err, 'exportChatInviteLink', 403, DESC.notMember);
});

test('grammY: upgraded basic group -> 400 with parameters.migrate_to_chat_id', async () => {
  assert.match(await api.exportChatInviteLink(OLD_GROUP_ID), LINK_RE);
  const newId = await upgradeOldGroup(srv);
  const err = await thrown(() => api.exportChatInviteLink(OLD_GROUP_ID));
  assertGrammyError(err, 'exportChatInviteLink', 400, DESC.upgraded, { migrate_to_chat_id: newId });
  // What a bot does next: retry on the new id.
  assert.match(await api.exportChatInviteLink(err.parameters.migrate_to_chat_id), LINK_RE);
});

test('grammY: wrong token -> 401 Unauthorized', async () => {
  for (const token of Object.values(WRONG_TOKENS)) {
    const bad = new Api(token, { apiRoot: srv.base });
    assertGrammyError(await thrown(() => bad.getMe()), 'getMe', 401, DESC.unauthorized);
    assertGrammyError(
      await thrown(() => bad.exportChatInviteLink(DEMO_ID)),
      'exportChatInviteLink', 401, DESC.unauthorized,
    );
  }
});
