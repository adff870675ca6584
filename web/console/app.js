// The console's entry point: sign-in with the control token, the live event stream, the World
// view (world.js), the Play a user view (play.js) and the Bots, time and faults view (inbox.js).
import { ControlError, control, forgetToken, readEvents, saveToken, savedToken } from './api.js';
import { WorldView } from './world.js';
import { InboxView } from './inbox.js';
import { PlayView } from './play.js';

const $ = (id) => document.getElementById(id);

let view = null;
let inbox = null; // the Bots, time and faults view (inbox.js); it gets every event too
let play = null; // the Play a user view (made once: it binds its controls); it gets the events too
let current = 'world'; // the view shown: world, play or inbox

// Shows one view; the nav's buttons switch between them.
function showView(name) {
  current = name;
  for (const button of document.querySelectorAll('#views button')) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const id of ['world', 'play', 'inbox']) $(id).hidden = id !== name;
}
let stream = null; // the AbortController of the running event stream

function showSignIn(message = '') {
  stream?.abort();
  stream = null;
  view = null;
  inbox?.stop();
  inbox = null;
  play?.reset();
  for (const id of ['world', 'play', 'inbox', 'views']) $(id).hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  setLive('');
  $('token').focus();
}

function setLive(state) {
  const live = $('live');
  live.className = `live ${state === 'on' ? 'on' : state ? 'off' : ''}`;
  live.textContent = state === 'on' ? 'live' : state === 'off' ? 'reconnecting…' : '';
}

async function signIn(token) {
  saveToken(token);
  try {
    await control('clock'); // any authorized call: a wrong token is refused here
  } catch (e) {
    forgetToken();
    showSignIn(e instanceof ControlError && e.status === 401 ? 'Wrong control token.' : e.message);
    return;
  }
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('views').hidden = false;
  showView(current);
  view = new WorldView();
  inbox = new InboxView();
  play ??= new PlayView();
  startEvents();
  inbox.load();
  await Promise.all([view.load(), play.load()]);
}

// Keeps the event stream open while signed in: on an end (server stopped, this tab too slow
// and dropped) it reconnects after a pause and reloads what is shown, since events were missed.
async function startEvents() {
  const controller = new AbortController();
  stream = controller;
  let pause = 1000;
  while (stream === controller) {
    try {
      await readEvents({
        signal: controller.signal,
        onOpen: () => {
          setLive('on');
          pause = 1000;
        },
        onEvent: (event) => {
          view?.onEvent(event);
          inbox?.onEvent(event);
          play?.onEvent(event);
        },
      });
    } catch (e) {
      if (controller.signal.aborted) return;
      if (e instanceof ControlError && e.status === 401) return showSignIn('The control token was refused.');
    }
    if (stream !== controller) return;
    setLive('off');
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 30000);
    view?.load();
    inbox?.load();
    play?.load();
  }
}

$('sign-in').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  $('token').value = '';
  if (token) signIn(token);
});
for (const button of document.querySelectorAll('#views button')) {
  button.addEventListener('click', () => showView(button.dataset.view));
}
$('sign-out').addEventListener('click', () => {
  forgetToken();
  showSignIn();
});

if (savedToken()) signIn(savedToken());
else showSignIn();
