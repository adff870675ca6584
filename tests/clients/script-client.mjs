// Shared body of the Python and PHP tests: the script runs a fixed scenario against a fresh server
// and prints label -> {status, content_type, body}; the checks below assert on what it saw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TOKEN, WRONG_TOKENS, DEMO_ID, DEMO_USERNAME, NO_RIGHTS_ID, PUBLIC_NOBOT_USERNAME, OLD_GROUP_ID,
  MISSING_USERNAME, LINK_RE, DESC, startClientServer, upgradeOldGroup, assertGetMe,
  assertOnlyLastActive, errorBody,
} from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function runScript(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: here, timeout: 60000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${cmd} ${args[0]} failed: ${err.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch (e) {
        reject(new Error(`${cmd} printed no JSON: ${e.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }
    });
  });
}

// label: 'Python' / 'PHP'; cmd, script: how to run it; exportLabels: the export_* results, in call order.
export function defineScriptTests({ label, cmd, script, getMeLabels, exportLabels }) {
  let srv;
  let out;
  let newId;

  before(async () => {
    srv = await startClientServer();
    newId = await upgradeOldGroup(srv);
    const cfg = {
      base: srv.base,
      token: TOKEN,
      demo_id: DEMO_ID,
      demo_username: DEMO_USERNAME,
      missing_username: MISSING_USERNAME,
      no_rights_id: NO_RIGHTS_ID,
      public_nobot_username: PUBLIC_NOBOT_USERNAME,
      old_group_id: OLD_GROUP_ID,
      wrong_tokens: WRONG_TOKENS,
    };
    out = await runScript(cmd, [script, JSON.stringify(cfg)]);
  });
  after(async () => {
    await srv?.close();
  });

  function assertOk(r, what) {
    assert.ok(r, `${what}: the script recorded nothing`);
    assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.content_type, 'application/json', what);
    assert.equal(r.body.ok, true, what);
    assert.deepEqual(Object.keys(r.body), ['ok', 'result'], what);
    return r.body.result;
  }

  function assertError(r, code, description, parameters, what) {
    assert.ok(r, `${what}: the script recorded nothing`);
    assert.equal(r.status, code, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.content_type, 'application/json', what);
    assert.deepEqual(r.body, errorBody(code, description, parameters), what);
  }

  test(`${label}: getMe`, () => {
    for (const l of getMeLabels) assertGetMe(assertOk(out[l], l));
  });

  test(`${label}: exportChatInviteLink by id and @username, only the last link active`, async () => {
    const links = exportLabels.map((l) => assertOk(out[l], l));
    for (const l of links) assert.match(l, LINK_RE);
    await assertOnlyLastActive(srv, DEMO_ID, links);
  });

  test(`${label}: @no_such_chat -> 400 chat not found`, () => {
    assertError(out.err_missing, 400, DESC.chatNotFound, undefined, 'err_missing');
  });

  test(`${label}: admin without can_invite_users -> 400 not enough rights`, () => {
    assertError(out.err_rights, 400, DESC.noRights, undefined, 'err_rights');
  });

  test(`${label}: public supergroup without the bot -> 403 not a member`, () => {
    assertError(out.err_not_member, 403, DESC.notMember, undefined, 'err_not_member');
  });

  test(`${label}: upgraded basic group -> 400 with parameters.migrate_to_chat_id`, () => {
    assertError(out.err_upgraded, 400, DESC.upgraded, { migrate_to_chat_id: newId }, 'err_upgraded');
    assert.match(assertOk(out.export_migrated, 'export_migrated'), LINK_RE);
  });

  test(`${label}: formatted messages with an inline keyboard, as an object and as a JSON string`, () => {
    const keyboard = {
      inline_keyboard: [[{ text: 'Open', url: 'https://t.me/demo_group' }], [{ text: 'OK \u2705', callback_data: 'ok' }]],
    };
    const html = assertOk(out.send_html, 'send_html');
    assert.equal(html.chat.id, DEMO_ID);
    assert.equal(html.text, 'Bold & italic \u{1F3DF}');
    assert.deepEqual(html.entities, [
      { offset: 0, length: 4, type: 'bold' },
      { offset: 7, length: 6, type: 'italic' },
    ]);
    assert.deepEqual(html.reply_markup, keyboard);
    const md = assertOk(out.send_markdownv2_markup_string, 'send_markdownv2_markup_string');
    assert.equal(md.text, 'Bold and . a link');
    assert.deepEqual(md.entities, [
      { offset: 0, length: 4, type: 'bold' },
      { offset: 13, length: 4, type: 'text_link', url: 'https://example.com/' },
    ]);
    assert.deepEqual(md.reply_markup, keyboard);
    assert.equal(md.message_id, html.message_id + 1);
    assertError(out.err_send_bad_html, 400,
      'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 2', undefined, 'err_send_bad_html');
  });

  test(`${label}: wrong token -> 401 Unauthorized`, () => {
    for (const name of Object.keys(WRONG_TOKENS)) {
      for (const m of ['getMe', 'export']) {
        const l = `err_token_${name}_${m}`;
        assertError(out[l], 401, DESC.unauthorized, undefined, l);
      }
    }
  });

  return () => out;
}
