// PHP + php-curl (Debian), posting JSON with curl, run as a child process:
// tests/clients/php_curl_client.php.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineScriptTests } from './script-client.mjs';

const getOut = defineScriptTests({
  label: 'PHP curl',
  cmd: 'php',
  script: 'php_curl_client.php',
  getMeLabels: ['getMe'],
  exportLabels: ['export_1', 'export_2', 'export_3'],
});

test('PHP curl: curl answered', () => {
  assert.match(getOut().curl_version, /^\d+\.\d+/);
});
