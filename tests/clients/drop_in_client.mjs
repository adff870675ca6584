// A grammY bot left at its default API root, https://api.telegram.org, for drop_in.test.mjs. The
// one thing added is an https.Agent whose connections go to 127.0.0.1:PORT: it stands for the
// hosts entry `127.0.0.1 api.telegram.org` (and a server on port 443), which a test may not
// write. It adds no CA: the certificate is trusted only if NODE_EXTRA_CA_CERTS names the CA.
// Prints one JSON line: { me, link } or { error }.
//   node drop_in_client.mjs PORT TOKEN CHAT_ID
import https from 'node:https';
import tls from 'node:tls';
import { Bot } from 'grammy';

const [port, token, chatId] = process.argv.slice(2);

class HostsEntryAgent extends https.Agent {
  createConnection(options, callback) {
    // The name stays api.telegram.org for SNI and for checking the certificate.
    return tls.connect({ ...options, host: '127.0.0.1', port: Number(port), servername: options.host }, callback);
  }
}

const bot = new Bot(token, { client: { baseFetchConfig: { agent: new HostsEntryAgent() } } });
try {
  // bot.api, not bot.init(): init retries network errors for ever, and the test wants the error.
  const me = await bot.api.getMe();
  const link = await bot.api.exportChatInviteLink(Number(chatId));
  console.log(JSON.stringify({ me, link }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.error?.code ?? e?.message ?? e) }));
  process.exitCode = 3;
}
