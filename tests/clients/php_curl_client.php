<?php
// A plain PHP bot script using curl, written the way such scripts usually are:
// curl_init("$base/bot$token/$method"), POST, json_encode($params), Content-Type: application/json.
//
// Usage: php php_curl_client.php CONFIG_JSON
// Runs a fixed scenario and prints one JSON object: label -> {status, content_type, body}.
// The node test (php-curl.test.mjs) asserts on it.

$cfg = json_decode($argv[1], true, 512, JSON_BIGINT_AS_STRING | JSON_THROW_ON_ERROR);
$base = $cfg['base'];

function api_call(string $base, string $token, string $method, ?array $params = null): array
{
    $ch = curl_init("$base/bot$token/$method");
    curl_setopt_array($ch, [
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => json_encode($params ?? new stdClass()),
        CURLOPT_HTTPHEADER => ['Content-Type: application/json'],
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 10,
    ]);
    $raw = curl_exec($ch);
    if ($raw === false) {
        $err = curl_error($ch);
        curl_close($ch);
        return ['status' => 0, 'content_type' => null, 'body' => ['_curl_error' => $err]];
    }
    $status = curl_getinfo($ch, CURLINFO_HTTP_CODE);
    $type = curl_getinfo($ch, CURLINFO_CONTENT_TYPE);
    curl_close($ch);
    $body = json_decode($raw, true, 512, JSON_BIGINT_AS_STRING);
    if ($body === null) {
        $body = ['_not_json' => $raw];
    }
    return ['status' => $status, 'content_type' => $type, 'body' => $body];
}

$token = $cfg['token'];
$out = ['curl_version' => curl_version()['version']];
$out['getMe'] = api_call($base, $token, 'getMe');

$out['export_1'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['demo_id']]);
$out['export_2'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['demo_id']]);
$out['export_3'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['demo_username']]);

$out['err_missing'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['missing_username']]);
$out['err_rights'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['no_rights_id']]);
$out['err_not_member'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['public_nobot_username']]);

$upgraded = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $cfg['old_group_id']]);
$out['err_upgraded'] = $upgraded;
// What a bot does with the migrate error: retry on the new chat id.
$newId = $upgraded['body']['parameters']['migrate_to_chat_id'] ?? null;
if ($newId !== null) {
    $out['export_migrated'] = api_call($base, $token, 'exportChatInviteLink', ['chat_id' => $newId]);
}

// Formatted messages to the group, as PHP bots send them (json_encode escapes "/" and non-ASCII).
$keyboard = ['inline_keyboard' => [[['text' => 'Open', 'url' => 'https://t.me/demo_group']],
                                   [['text' => "OK \u{2705}", 'callback_data' => 'ok']]]];
$out['send_html'] = api_call($base, $token, 'sendMessage', [
    'chat_id' => $cfg['demo_id'], 'text' => "<b>Bold</b> &amp; <i>italic</i> \u{1F3DF}",
    'parse_mode' => 'HTML', 'reply_markup' => $keyboard]);
$out['send_markdownv2_markup_string'] = api_call($base, $token, 'sendMessage', [
    'chat_id' => $cfg['demo_id'], 'text' => '*Bold* and \\. a [link](https://example.com)',
    'parse_mode' => 'MarkdownV2', 'reply_markup' => json_encode($keyboard)]);
$out['err_send_bad_html'] = api_call($base, $token, 'sendMessage', [
    'chat_id' => $cfg['demo_id'], 'text' => 'a <br> b', 'parse_mode' => 'HTML']);

foreach ($cfg['wrong_tokens'] as $name => $bad) {
    $out["err_token_{$name}_getMe"] = api_call($base, $bad, 'getMe');
    $out["err_token_{$name}_export"] = api_call($base, $bad, 'exportChatInviteLink', ['chat_id' => $cfg['demo_id']]);
}

echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
