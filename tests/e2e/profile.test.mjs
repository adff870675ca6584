// The bot settings methods (spec bot-api-moderation.md 10, bot-api-messages.md 8.2-8.4):
// setMyCommands / getMyCommands / deleteMyCommands per scope and language, setMyName,
// setMyDescription, setMyShortDescription and their getters, setChatMenuButton /
// getChatMenuButton, setMyDefaultAdministratorRights / getMyDefaultAdministratorRights. Every
// happy path read back exactly, every error with its text, and everything across restarts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  B1,
  B2,
  B3,
  ALICE,
  GRACE,
  HEIDI,
  UNKNOWN_USER,
  SG_MAIN,
  SG_MEMBER,
  SG_LEFT,
  SG_KICKED,
  SG_NORECORD,
  SG_PUB_LEFT,
  CH_MAIN,
  CH_LEFT,
  GR_MAIN,
  GR_LEFT,
  GR_KICKED,
  GR_UPGRADE2,
  testWorld,
  expectError,
  expectOk,
  assertNoSecretsInLogs,
  DEBUG_LOG_ARGS,
} from './helpers.mjs';

let srv;
before(async () => {
  srv = await startServer({ world: testWorld(), extraArgs: DEBUG_LOG_ARGS });
});
after(async () => {
  if (srv) await srv.close();
});

// The whole answer's text: key order and escapes included.
async function expectResult(res, resultJson, what = '') {
  expectOk(res);
  assert.equal(res.text, `{"ok":true,"result":${resultJson}}`, what);
}
const ok = (res, what) => expectResult(res, 'true', what);
const bad = (res, text, what) => expectError(res, 400, `Bad Request: ${text}`, undefined, what);

// A urlencoded body as given, for bytes that are not UTF-8.
async function rawForm(token, method, body) {
  const res = await fetch(`${srv.base}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const setCommands = (params, token = B1.token, opts) => srv.api(token, 'setMyCommands', params, opts);
const getCommands = (params = {}, token = B1.token) => srv.api(token, 'getMyCommands', params);
const deleteCommands = (params = {}, token = B1.token) => srv.api(token, 'deleteMyCommands', params);
const cmd = (command, description) => ({ command, description });
const listJson = (list) => JSON.stringify(list);

// ---------------------------------------------------------------------------------------------
// Commands

test('getMyCommands is [] before anything is set', async () => {
  await expectResult(await getCommands(), '[]');
  await expectResult(await getCommands({ language_code: 'de' }), '[]');
  await expectResult(await getCommands({}, B2.token), '[]');
});

test('setMyCommands stores the cleaned list, read back exactly', async () => {
  await ok(
    await setCommands({
      commands: [cmd(' /start ', ' Start the bot\r '), cmd('help', 'Caf\u00e9 \u{1F600} "help"')],
    }),
  );
  await expectResult(
    await getCommands(),
    '[{"command":"start","description":"Start the bot"},' +
      '{"command":"help","description":"Caf\\u00e9 \\ud83d\\ude00 \\"help\\""}]',
  );
  // The default scope named explicitly is the same list; numbers are taken as their text.
  assert.equal((await getCommands({ scope: { type: 'default' } })).text, (await getCommands()).text);
  await ok(await setCommands({ commands: '[{"command":42,"description":1.50}]', language_code: 'nl' }));
  await expectResult(await getCommands({ language_code: 'nl' }), '[{"command":"42","description":"1.50"}]');
  // The other bot has its own lists.
  await expectResult(await getCommands({}, B2.token), '[]');
});

test('each scope and language has its own list, without fallback', async () => {
  const lists = [
    [{ type: 'all_private_chats' }, '', [cmd('private', 'In private chats')]],
    [{ type: 'all_group_chats' }, '', [cmd('group', 'In groups')]],
    [{ type: 'all_chat_administrators' }, '', [cmd('admin', 'For admins')]],
    [{ type: 'chat', chat_id: SG_MAIN }, '', [cmd('main', 'In the main chat')]],
    [{ type: 'chat_administrators', chat_id: GR_MAIN }, '', [cmd('basic', 'Basic group admins')]],
    [{ type: 'chat_member', chat_id: SG_MAIN, user_id: ALICE }, '', [cmd('alice', 'For Alice')]],
    [{ type: 'chat', chat_id: ALICE }, '', [cmd('dm', 'Private chat with Alice')]],
    [{ type: 'all_private_chats' }, 'de', [cmd('privat', 'Privat')]],
    [{ type: 'chat', chat_id: SG_MAIN }, 'fr', [cmd('principal', 'Principal')]],
  ];
  for (const [scope, language_code, list] of lists) {
    await ok(await setCommands({ commands: list, scope, language_code }), JSON.stringify(scope));
  }
  for (const [scope, language_code, list] of lists) {
    await expectResult(await getCommands({ scope, language_code }), listJson(list), JSON.stringify(scope));
  }
  // No fallback: another language, or a narrower scope, reads [].
  await expectResult(await getCommands({ scope: { type: 'all_group_chats' }, language_code: 'de' }), '[]');
  await expectResult(
    await getCommands({ scope: { type: 'chat_member', chat_id: SG_MAIN, user_id: 100003 } }),
    '[]',
  );
  await expectResult(await getCommands({ scope: { type: 'chat_administrators', chat_id: SG_MAIN } }), '[]');
  // A chat named by @username is the same chat; chat_id may be a string.
  await expectResult(
    await getCommands({ scope: { type: 'chat', chat_id: '@demo_group' } }),
    listJson([cmd('main', 'In the main chat')]),
  );
  await expectResult(
    await getCommands({ scope: { type: 'chat', chat_id: String(SG_MAIN) }, language_code: 'fr' }),
    listJson([cmd('principal', 'Principal')]),
  );
  // A public chat the bot left is still readable.
  await ok(await setCommands({ commands: [cmd('x', 'y')], scope: { type: 'chat', chat_id: SG_PUB_LEFT } }));
  // Form encoding (python-telegram-bot's) reaches the same lists.
  const form = await srv.api(
    B1.token,
    'getMyCommands',
    { scope: { type: 'all_private_chats' }, language_code: 'de' },
    { encoding: 'form' },
  );
  await expectResult(form, listJson([cmd('privat', 'Privat')]));
});

test('deleteMyCommands and an empty setMyCommands clear one list', async () => {
  const scope = { type: 'chat', chat_id: SG_MEMBER };
  await ok(await setCommands({ commands: [cmd('a', 'A')], scope }));
  await ok(await setCommands({ commands: [cmd('b', 'B')], scope, language_code: 'en' }));
  await ok(await deleteCommands({ scope }));
  await expectResult(await getCommands({ scope }), '[]');
  await expectResult(await getCommands({ scope, language_code: 'en' }), listJson([cmd('b', 'B')]));
  // Deleting what is not set is fine.
  await ok(await deleteCommands({ scope }));
  await ok(await deleteCommands({ scope: { type: 'all_group_chats' }, language_code: 'it' }));
  // No commands, or [], clear the list too.
  await ok(await setCommands({ scope, language_code: 'en' }));
  await expectResult(await getCommands({ scope, language_code: 'en' }), '[]');
  await ok(await setCommands({ commands: [cmd('c', 'C')], scope }));
  await ok(await setCommands({ commands: [], scope }));
  await expectResult(await getCommands({ scope }), '[]');
  // The method names are case-insensitive, as every method's.
  await ok(await srv.api(B1.token, 'SETMYCOMMANDS', { commands: [cmd('d', 'D')], scope }));
  await expectResult(await srv.api(B1.token, 'getmycommands', { scope }), listJson([cmd('d', 'D')]));
});

test('setMyCommands: parsing errors, commands before scope', async () => {
  const P = "can't parse BotCommandScope: ";
  const cases = [
    [{ commands: 'x' }, "can't parse commands JSON object"],
    [{ commands: {} }, 'expected an Array of BotCommand'],
    [{ commands: [1] }, "can't parse BotCommand: expected an Object"],
    [{ commands: [{ command: 'a' }] }, `can't parse BotCommand: Can't find field "description"`],
    [{ commands: [{ command: true, description: 'b' }] }, `can't parse BotCommand: Field "command" must be of type String`],
    [{ commands: 'x', scope: 'y' }, "can't parse commands JSON object"],
    [{ commands: [cmd('a', 'b')], scope: 'y' }, "can't parse BotCommandScope JSON object"],
    [{ scope: [] }, `${P}BotCommandScope must be an Object`],
    [{ scope: {} }, `${P}Can't find field "type"`],
    [{ scope: { type: 'everyone' } }, `${P}Unsupported type specified`],
    [{ scope: { type: 'chat' } }, `${P}Can't find field "chat_id"`],
    [{ scope: { type: 'chat', chat_id: '' } }, `${P}Empty chat_id specified`],
    [{ scope: { type: 'chat_member', chat_id: SG_MAIN } }, `${P}Can't find field "user_id"`],
    [{ scope: { type: 'chat_member', chat_id: SG_MAIN, user_id: 'x' } }, `${P}Field "user_id" must be a valid Number`],
    [{ scope: { type: 'chat_member', chat_id: SG_MAIN, user_id: 0 } }, `${P}Invalid user_id specified`],
  ];
  for (const [params, text] of cases) bad(await setCommands(params), text, JSON.stringify(params));
  // getMyCommands and deleteMyCommands read the scope the same way.
  bad(await getCommands({ scope: { type: 'everyone' } }), `${P}Unsupported type specified`);
  bad(await deleteCommands({ scope: 'y' }), "can't parse BotCommandScope JSON object");
});

test("command scopes: the chat's errors, then TDLib's rules, then the language", async () => {
  const list = [cmd('a', 'b')];
  const forbidden = (res, text, what) => expectError(res, 403, `Forbidden: ${text}`, undefined, what);
  const at = (scope, extra = {}) => setCommands({ commands: list, scope, ...extra });
  bad(await at({ type: 'chat', chat_id: -1001999999999 }), 'chat not found');
  bad(await at({ type: 'chat', chat_id: '@nobody_here' }), 'chat not found');
  bad(await at({ type: 'chat', chat_id: SG_NORECORD }), 'chat not found');
  bad(await at({ type: 'chat', chat_id: 'abc' }), 'chat not found');
  bad(await at({ type: 'chat', chat_id: UNKNOWN_USER }), 'chat not found');
  bad(await at({ type: 'chat', chat_id: HEIDI }), 'chat not found'); // never met the bot
  forbidden(await at({ type: 'chat', chat_id: SG_LEFT }), 'bot is not a member of the supergroup chat');
  forbidden(await at({ type: 'chat_administrators', chat_id: SG_KICKED }), 'bot was kicked from the supergroup chat');
  forbidden(await at({ type: 'chat', chat_id: GR_LEFT }), 'bot is not a member of the group chat');
  forbidden(await at({ type: 'chat', chat_id: GR_KICKED }), 'bot was kicked from the group chat');
  forbidden(await at({ type: 'chat', chat_id: CH_LEFT }), 'bot is not a member of the channel chat');
  bad(await at({ type: 'chat', chat_id: CH_MAIN }), "can't change commands in channel chats");
  bad(await at({ type: 'chat_member', chat_id: CH_MAIN, user_id: ALICE }), "can't change commands in channel chats");
  bad(await at({ type: 'chat_administrators', chat_id: ALICE }), "can't use specified scope in private chats");
  bad(await at({ type: 'chat_member', chat_id: ALICE, user_id: ALICE }), "can't use specified scope in private chats");
  bad(await at({ type: 'chat_member', chat_id: SG_MAIN, user_id: 2 ** 40 }), 'user not found');

  // An upgraded basic group: the migrate error, with its parameter.
  const up = expectOk(await srv.control('POST', `/chats/${GR_UPGRADE2}/upgrade`, {}));
  const newId = up.migrate_to_chat_id;
  expectError(
    await at({ type: 'chat', chat_id: GR_UPGRADE2 }),
    400,
    'Bad Request: group chat was upgraded to a supergroup chat',
    { migrate_to_chat_id: newId },
  );
  await ok(await at({ type: 'chat', chat_id: newId }));

  // The language code comes after the scope, and before the commands.
  bad(await at({ type: 'chat', chat_id: CH_MAIN }, { language_code: 'EN' }), "can't change commands in channel chats");
  for (const language_code of ['EN', 'eng', 'en-US', 'e']) {
    bad(await at({ type: 'default' }, { language_code }), 'invalid language code specified', language_code);
    bad(await getCommands({ language_code }), 'invalid language code specified');
    bad(await deleteCommands({ language_code }), 'invalid language code specified');
  }
  bad(
    await setCommands({ commands: [cmd('', 'x')], language_code: 'EN' }),
    'invalid language code specified',
  );
  // getMyCommands and deleteMyCommands check the chat the same way.
  forbidden(await getCommands({ scope: { type: 'chat', chat_id: SG_LEFT } }), 'bot is not a member of the supergroup chat');
  bad(await deleteCommands({ scope: { type: 'chat', chat_id: CH_MAIN } }), "can't change commands in channel chats");
});

test("setMyCommands: each command's checks, then the server's", async () => {
  const before = [cmd('keep', 'Kept')];
  const scope = { type: 'all_chat_administrators' };
  await ok(await setCommands({ commands: before, scope, language_code: 'it' }));
  const at = (commands) => setCommands({ commands, scope, language_code: 'it' });
  bad(await at([cmd('', 'x')]), 'command must be non-empty');
  bad(await at([cmd(' / ', 'x')]), 'command must be non-empty');
  bad(await at([cmd('a'.repeat(33), 'x')]), 'command length must not exceed 32');
  bad(await at([cmd('a', '  ')]), 'command description must be non-empty');
  bad(await at([cmd('a', 'x'.repeat(257))]), 'command description length must not exceed 256');
  // Command by command: an empty second command fails before the first's capital letter.
  bad(await at([cmd('Start', 'x'), cmd('', 'y')]), 'command must be non-empty');
  bad(await at([cmd('Start', 'x')]), 'BOT_COMMAND_INVALID');
  bad(await at([cmd('start', 'x'), cmd('st-art', 'y')]), 'BOT_COMMAND_INVALID');
  bad(await at([cmd('\u0441\u0442\u0430\u0440\u0442', 'x')]), 'BOT_COMMAND_INVALID');
  const many = Array.from({ length: 101 }, (_, i) => cmd(`c${i}`, `Command ${i}`));
  bad(await at(many), 'BOT_COMMANDS_TOO_MUCH');
  bad(
    await rawForm(B1.token, 'setMyCommands', 'commands=%5B%7B%22command%22%3A%22a%FF%22%2C%22description%22%3A%22x%22%7D%5D'),
    'command must be encoded in UTF-8',
  );
  bad(
    await rawForm(B1.token, 'setMyCommands', 'commands=%5B%7B%22command%22%3A%22a%22%2C%22description%22%3A%22%C3%22%7D%5D'),
    'command description must be encoded in UTF-8',
  );
  // Nothing changed.
  await expectResult(await getCommands({ scope, language_code: 'it' }), listJson(before));
  // 100 commands and the longest texts are fine.
  const hundred = many.slice(0, 100);
  await ok(await at(hundred));
  await expectResult(await getCommands({ scope, language_code: 'it' }), listJson(hundred));
  const longest = [cmd('a'.repeat(32), '\u00e9'.repeat(256))];
  await ok(await at(longest));
  await expectResult(await getCommands({ scope, language_code: 'it' }), listJson(longest).replace(/\u00e9/g, '\\u00e9'));
});

// ---------------------------------------------------------------------------------------------
// Name and descriptions

test('getMyName answers the first name until a name is set; languages fall back to the default', async () => {
  const name = (language_code) => srv.api(B3.token, 'getMyName', language_code === undefined ? {} : { language_code });
  await expectResult(await name(), `{"name":"${B3.first_name}"}`);
  await expectResult(await name('de'), `{"name":"${B3.first_name}"}`);
  await ok(await srv.api(B3.token, 'setMyName', { name: 'Helper' }));
  await ok(await srv.api(B3.token, 'setMyName', { name: 'Helfer \u00fc', language_code: 'de' }));
  await expectResult(await name(), '{"name":"Helper"}');
  await expectResult(await name(''), '{"name":"Helper"}');
  await expectResult(await name('de'), '{"name":"Helfer \\u00fc"}');
  await expectResult(await name('en'), '{"name":"Helper"}');
  // getMe keeps the first name.
  assert.equal(expectOk(await srv.api(B3.token, 'getMe')).first_name, B3.first_name);
  // An empty name removes the language's own.
  await ok(await srv.api(B3.token, 'setMyName', { name: '', language_code: 'de' }));
  await expectResult(await name('de'), '{"name":"Helper"}');
  // The same name again is fine.
  await ok(await srv.api(B3.token, 'setMyName', { name: 'Helper' }));
});

test('setMyName, setMyDescription, setMyShortDescription: errors', async () => {
  const call = (method, params) => srv.api(B2.token, method, params);
  bad(await call('setMyName', { name: '' }), 'FIRSTNAME_INVALID');
  bad(await call('setMyName', {}), 'FIRSTNAME_INVALID');
  bad(await call('setMyName', { name: 'x'.repeat(65), language_code: 'en' }), 'FIRSTNAME_INVALID');
  await ok(await call('setMyName', { name: '\u00e9'.repeat(64), language_code: 'en' }));
  bad(await call('setMyDescription', { description: 'x'.repeat(513) }), 'DESCRIPTION_TOO_LONG');
  await ok(await call('setMyDescription', { description: 'x'.repeat(512), language_code: 'pt' }));
  bad(await call('setMyShortDescription', { short_description: 'x'.repeat(121) }), 'ABOUT_TOO_LONG');
  for (const method of ['setMyName', 'getMyName', 'setMyDescription', 'getMyDescription',
    'setMyShortDescription', 'getMyShortDescription']) {
    bad(await call(method, { name: 'n', description: 'd', short_description: 's', language_code: 'DE' }),
      'invalid language code specified', method);
  }
  // UTF-8 is checked before the language.
  bad(await rawForm(B2.token, 'setMyName', 'name=a%FF&language_code=EN'), 'strings must be encoded in UTF-8');
  bad(await rawForm(B2.token, 'setMyDescription', 'description=%C3'), 'strings must be encoded in UTF-8');
  bad(await rawForm(B2.token, 'setMyShortDescription', 'short_description=%FF'), 'strings must be encoded in UTF-8');
  // Nothing was stored by the failed calls.
  await expectResult(await call('getMyName', {}), `{"name":"${B2.first_name}"}`);
  await expectResult(await call('getMyName', { language_code: 'en' }), `{"name":"${'\\u00e9'.repeat(64)}"}`);
});

test('descriptions: set, read per language with the default as fallback, removed', async () => {
  const get = (method, language_code) => srv.api(B1.token, method, language_code ? { language_code } : {});
  await expectResult(await get('getMyDescription'), '{"description":""}');
  await expectResult(await get('getMyShortDescription', 'de'), '{"short_description":""}');
  await ok(await srv.api(B1.token, 'setMyDescription', { description: 'What I do:\r\n\tinvite' }));
  await ok(await srv.api(B1.token, 'setMyShortDescription', { short_description: 'Invites', language_code: 'en' }));
  await expectResult(await get('getMyDescription'), '{"description":"What I do:\\n invite"}');
  await expectResult(await get('getMyDescription', 'de'), '{"description":"What I do:\\n invite"}');
  await expectResult(await get('getMyShortDescription'), '{"short_description":""}');
  await expectResult(await get('getMyShortDescription', 'en'), '{"short_description":"Invites"}');
  await expectResult(await get('getMyShortDescription', 'de'), '{"short_description":""}');
  await ok(await srv.api(B1.token, 'setMyDescription', { description: '' }));
  await expectResult(await get('getMyDescription', 'de'), '{"description":""}');
});

// ---------------------------------------------------------------------------------------------
// Menu button

const getButton = (params = {}, token = B1.token) => srv.api(token, 'getChatMenuButton', params);
const setButton = (params, token = B1.token) => srv.api(token, 'setChatMenuButton', params);
const WEB_APP = { type: 'web_app', text: 'Open \u00e9', web_app: { url: 'HTTPS://Example.COM' } };
const WEB_APP_JSON = '{"type":"web_app","text":"Open \\u00e9","web_app":{"url":"https://example.com/"}}';

test('menu buttons: the bot-wide one and one per private chat', async () => {
  await expectResult(await getButton(), '{"type":"commands"}');
  await expectResult(await getButton({ chat_id: ALICE }), '{"type":"default"}');
  await ok(await setButton({ menu_button: WEB_APP }));
  await expectResult(await getButton(), WEB_APP_JSON);
  await expectResult(await getButton({ chat_id: ALICE }), '{"type":"default"}');
  await ok(await setButton({ chat_id: ALICE, menu_button: { type: 'commands' } }));
  await expectResult(await getButton({ chat_id: ALICE }), '{"type":"commands"}');
  await expectResult(await getButton(), WEB_APP_JSON);
  await ok(await setButton({ chat_id: ALICE, menu_button: WEB_APP }));
  await expectResult(await getButton({ chat_id: String(ALICE) }), WEB_APP_JSON);
  // "default" (also no menu_button at all) removes the chat's own button...
  await ok(await setButton({ chat_id: ALICE }));
  await expectResult(await getButton({ chat_id: ALICE }), '{"type":"default"}');
  // ... and the bot-wide one, which then reads "commands" again.
  await ok(await setButton({ menu_button: { type: 'default' } }));
  await expectResult(await getButton(), '{"type":"commands"}');
  await ok(await setButton({ menu_button: { type: 'commands' } }));
  await expectResult(await getButton(), '{"type":"commands"}');
  // TDLib's own spelling of the default button.
  await ok(await setButton({ chat_id: ALICE, menu_button: { type: 'commands' } }));
  await ok(await setButton({ chat_id: ALICE, menu_button: { type: 'web_app', text: '', web_app: { url: 'default' } } }));
  await expectResult(await getButton({ chat_id: ALICE }), '{"type":"default"}');
  // Another bot's buttons are its own.
  await expectResult(await getButton({}, B2.token), '{"type":"commands"}');
});

test('menu buttons: errors, menu_button before chat_id, the user before the URL', async () => {
  const P = "can't parse menu button: ";
  const cases = [
    [{ menu_button: 'x' }, "can't parse menu button JSON object"],
    [{ menu_button: 'x', chat_id: -1 }, "can't parse menu button JSON object"],
    [{ menu_button: [] }, `${P}MenuButton must be an Object`],
    [{ menu_button: {} }, `${P}Can't find field "type"`],
    [{ menu_button: { type: 'menu' } }, `${P}MenuButton has unsupported type`],
    [{ menu_button: { type: 'web_app' } }, `${P}Can't find field "text"`],
    [{ menu_button: { type: 'web_app', text: 'a' } }, `${P}Can't find field "web_app"`],
    [{ menu_button: { type: 'web_app', text: 'a', web_app: 'https://x.org' } }, `${P}Field "web_app" must be of type Object`],
    [{ menu_button: { type: 'web_app', text: 'a', web_app: {} } }, `${P}Can't find field "url"`],
    [{ menu_button: { type: 'web_app', text: '', web_app: { url: 'https://x.org' } } }, 'menu button text must be non-empty'],
    [{ menu_button: { type: 'web_app', text: 'a', web_app: { url: 'http://x.org' } } },
      "menu button Web App URL 'http://x.org' is invalid: Only HTTPS links are allowed"],
    [{ menu_button: { type: 'web_app', text: 'a', web_app: { url: 'https://localhost' } } },
      "menu button Web App URL 'https://localhost' is invalid: Wrong HTTP URL"],
    [{ chat_id: -1001000000001 }, 'invalid chat_id specified'],
    [{ chat_id: 'abc', menu_button: { type: 'commands' } }, 'invalid chat_id specified'],
    [{ chat_id: UNKNOWN_USER }, 'user not found'],
    [{ chat_id: GRACE, menu_button: { type: 'web_app', text: 'a', web_app: { url: 'http://x.org' } } }, 'user not found'],
    [{ chat_id: B1.id }, 'user not found'],
  ];
  for (const [params, text] of cases) bad(await setButton(params), text, JSON.stringify(params));
  bad(await getButton({ chat_id: -5 }), 'invalid chat_id specified');
  bad(await getButton({ chat_id: GRACE }), 'user not found');
  bad(
    await rawForm(B1.token, 'setChatMenuButton', `menu_button=${encodeURIComponent('{"type":"web_app","text":"a')}%FF${encodeURIComponent('","web_app":{"url":"https://x.org"}}')}`),
    'menu button text must be encoded in UTF-8',
  );
  // Once Grace writes to the bot, it knows her.
  expectOk(await srv.control('POST', '/messages', { from: GRACE, chat_id: B1.id, text: '/start' }));
  await expectResult(await getButton({ chat_id: GRACE }), '{"type":"default"}');
  await ok(await setButton({ chat_id: GRACE, menu_button: { type: 'commands' } }));
  await expectResult(await getButton({ chat_id: GRACE }), '{"type":"commands"}');
  // ... and the private chat's commands scope too.
  await ok(await setCommands({ commands: [cmd('hi', 'Hi Grace')], scope: { type: 'chat', chat_id: GRACE } }));
  await expectResult(await getCommands({ scope: { type: 'chat', chat_id: GRACE } }), listJson([cmd('hi', 'Hi Grace')]));
});

// ---------------------------------------------------------------------------------------------
// Default administrator rights

const GROUP_KEYS = ['can_manage_chat', 'can_change_info', 'can_delete_messages', 'can_invite_users',
  'can_restrict_members', 'can_pin_messages', 'can_manage_topics', 'can_promote_members',
  'can_manage_video_chats', 'can_post_stories', 'can_edit_stories', 'can_delete_stories',
  'can_manage_tags', 'is_anonymous'];
const CHANNEL_KEYS = ['can_manage_chat', 'can_change_info', 'can_post_messages', 'can_edit_messages',
  'can_delete_messages', 'can_invite_users', 'can_restrict_members', 'can_promote_members',
  'can_manage_video_chats', 'can_post_stories', 'can_edit_stories', 'can_delete_stories',
  'can_manage_direct_messages', 'is_anonymous'];
const rightsJson = (keys, on = []) => JSON.stringify(Object.fromEntries(keys.map((k) => [k, on.includes(k)])));

test('default administrator rights: all false, set per target (masked, manage_chat implied), cleared', async () => {
  const get = (for_channels) => srv.api(B2.token, 'getMyDefaultAdministratorRights', for_channels ? { for_channels } : {});
  const set = (params) => srv.api(B2.token, 'setMyDefaultAdministratorRights', params);
  await expectResult(await get(), rightsJson(GROUP_KEYS));
  await expectResult(await get(true), rightsJson(CHANNEL_KEYS));
  const rights = { can_invite_users: true, can_post_messages: true, is_anonymous: true, can_pin_messages: true };
  await ok(await set({ rights }));
  await expectResult(await get(), rightsJson(GROUP_KEYS, ['can_manage_chat', 'can_invite_users', 'can_pin_messages', 'is_anonymous']));
  await expectResult(await get(false), rightsJson(GROUP_KEYS, ['can_manage_chat', 'can_invite_users', 'can_pin_messages', 'is_anonymous']));
  await expectResult(await get(true), rightsJson(CHANNEL_KEYS));
  await ok(await set({ rights, for_channels: true }));
  await expectResult(await get(true), rightsJson(CHANNEL_KEYS, ['can_manage_chat', 'can_invite_users', 'can_post_messages']));
  await expectResult(await get('True'), rightsJson(CHANNEL_KEYS, ['can_manage_chat', 'can_invite_users', 'can_post_messages']));
  // Rights a target does not have leave nothing, not even can_manage_chat.
  await ok(await set({ rights: { can_manage_direct_messages: true, can_edit_messages: true } }));
  await expectResult(await get(), rightsJson(GROUP_KEYS));
  // No rights clear them.
  await ok(await set({ for_channels: true }));
  await expectResult(await get(true), rightsJson(CHANNEL_KEYS));
  await ok(await set({ rights: {}, for_channels: true }));
  await expectResult(await get(true), rightsJson(CHANNEL_KEYS));
});

test('default administrator rights: errors', async () => {
  const P = "can't parse ChatAdministratorRights: ";
  const set = (params) => srv.api(B2.token, 'setMyDefaultAdministratorRights', params);
  bad(await set({ rights: 'x' }), "can't parse ChatAdministratorRights JSON object");
  bad(await set({ rights: [] }), `${P}ChatAdministratorRights must be an Object`);
  bad(await set({ rights: 'null' }), `${P}ChatAdministratorRights must be an Object`);
  bad(await set({ rights: { can_manage_chat: 1 } }), `${P}Field "can_manage_chat" must be of type Boolean`);
  bad(await set({ rights: { is_anonymous: 'yes', can_change_info: null } }), `${P}Field "can_change_info" must be of type Boolean`);
});

// ---------------------------------------------------------------------------------------------
// Durability

test('every setting survives a clean restart and SIGKILL', async () => {
  const bot = B2.token;
  await ok(await setCommands({ commands: [cmd('one', 'One')] }, bot));
  await ok(await setCommands({ commands: [cmd('eins', 'Eins')], language_code: 'de' }, bot));
  await ok(await setCommands({ commands: [cmd('grp', 'Group')], scope: { type: 'chat_administrators', chat_id: SG_MAIN } }, bot));
  await ok(await srv.api(bot, 'setMyName', { name: 'Zweiter', language_code: 'de' }));
  await ok(await srv.api(bot, 'setMyShortDescription', { short_description: 'Short \u00e9' }));
  await ok(await setButton({ menu_button: WEB_APP }, bot));
  await ok(await setButton({ chat_id: ALICE, menu_button: { type: 'commands' } }, bot));
  await ok(await srv.api(bot, 'setMyDefaultAdministratorRights', { rights: { can_delete_messages: true } }));

  const readAll = async () => [
    (await getCommands({}, bot)).text,
    (await getCommands({ language_code: 'de' }, bot)).text,
    (await getCommands({ scope: { type: 'chat_administrators', chat_id: SG_MAIN } }, bot)).text,
    (await srv.api(bot, 'getMyName', { language_code: 'de' })).text,
    (await srv.api(bot, 'getMyName', {})).text,
    (await srv.api(bot, 'getMyShortDescription', { language_code: 'fr' })).text,
    (await getButton({}, bot)).text,
    (await getButton({ chat_id: ALICE }, bot)).text,
    (await srv.api(bot, 'getMyDefaultAdministratorRights', {})).text,
    (await srv.api(bot, 'getMyDefaultAdministratorRights', { for_channels: true })).text,
  ];
  const want = [
    `{"ok":true,"result":${listJson([cmd('one', 'One')])}}`,
    `{"ok":true,"result":${listJson([cmd('eins', 'Eins')])}}`,
    `{"ok":true,"result":${listJson([cmd('grp', 'Group')])}}`,
    '{"ok":true,"result":{"name":"Zweiter"}}',
    `{"ok":true,"result":{"name":"${B2.first_name}"}}`,
    '{"ok":true,"result":{"short_description":"Short \\u00e9"}}',
    `{"ok":true,"result":${WEB_APP_JSON}}`,
    '{"ok":true,"result":{"type":"commands"}}',
    `{"ok":true,"result":${rightsJson(GROUP_KEYS, ['can_manage_chat', 'can_delete_messages'])}}`,
    `{"ok":true,"result":${rightsJson(CHANNEL_KEYS)}}`,
  ];
  assert.deepEqual(await readAll(), want);
  assert.equal(await srv.restart(), 0);
  assert.deepEqual(await readAll(), want, 'after a clean restart');

  // A change acknowledged just before SIGKILL, and a removal, survive too.
  await ok(await setCommands({ commands: [cmd('two', 'Two')] }, bot));
  await ok(await srv.api(bot, 'setMyName', { name: '', language_code: 'de' }));
  await srv.kill();
  await srv.start();
  want[0] = `{"ok":true,"result":${listJson([cmd('two', 'Two')])}}`;
  want[3] = `{"ok":true,"result":{"name":"${B2.first_name}"}}`;
  assert.deepEqual(await readAll(), want, 'after SIGKILL');
});

test('the log holds no secrets', () => {
  assertNoSecretsInLogs(srv);
});
