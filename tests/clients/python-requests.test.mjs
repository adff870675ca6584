// Debian's Python 3 + python3-requests 2.28.1 (NOT the pyenv python3 on PATH), run as a child
// process: tests/clients/python_requests_client.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineScriptTests } from './script-client.mjs';

const getOut = defineScriptTests({
  label: 'Python requests',
  cmd: '/usr/bin/python3',
  script: 'python_requests_client.py',
  getMeLabels: ['getMe', 'getMe_get'],
  exportLabels: ['export_1', 'export_2', 'export_3', 'export_4_form'],
});

test('Python requests: the Debian build is the one used', () => {
  assert.equal(getOut().requests_version, '2.28.1');
});
