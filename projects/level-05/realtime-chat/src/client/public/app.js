// The browser client: log in over REST, connect with the token, join a room, send and receive.
/* global io, document, Option */
const $ = (id) => document.getElementById(id);
const state = { token: '', socket: null, room: '', lastSeenId: undefined };

const setStatus = (text, key) => {
  $('status').textContent = text;
  $('status').dataset.state = key;
};

const show = (message) => {
  if (document.querySelector(`[data-id="${message.id}"]`)) return;
  const item = document.createElement('li');
  item.dataset.id = message.id;
  item.textContent = `${message.authorId.slice(-4)}: ${message.text}`;
  $('messages').append(item);
  state.lastSeenId = message.id;
};

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { 'Content-Type': 'application/json', ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}) },
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ?? response.statusText);
  return body;
}

async function join() {
  const answer = await state.socket.emitWithAck('room:join', { roomId: state.room, lastSeenId: state.lastSeenId });
  if (!answer.ok) return setStatus(answer.error.detail, 'error');
  if (!state.lastSeenId) {
    const history = await state.socket.emitWithAck('history', { roomId: state.room, limit: 50 });
    if (history.ok) history.data.items.reverse().forEach(show);
  }
  answer.data.missed.forEach(show);
  $('send').hidden = false;
  setStatus(`in room ${state.room}`, 'joined');
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const session = await api('/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: $('email').value, password: $('password').value }),
    });
    state.token = session.accessToken;
    const { items } = await api('/rooms');
    $('rooms').replaceChildren(...items.map((room) => new Option(room.name, room.id)));
    state.socket = io({ auth: { token: state.token }, transports: ['websocket'] });
    state.socket.on('connect', () => (state.room ? join() : setStatus('connected', 'connected')));
    state.socket.on('connect_error', (error) => setStatus(error.data?.detail ?? error.message, 'error'));
    state.socket.on('message:new', show);
    state.socket.on('typing', ({ userId, typing }) => ($('typing').textContent = typing ? `${userId.slice(-4)} is typing…` : ''));
    state.socket.on('session:expired', () => setStatus('session expired: log in again', 'expired'));
    $('join').hidden = false;
  } catch (error) {
    setStatus(error.message, 'error');
  }
});

$('join').addEventListener('submit', (event) => {
  event.preventDefault();
  state.room = $('rooms').value;
  state.lastSeenId = undefined;
  $('messages').replaceChildren();
  void join();
});

$('text').addEventListener('input', () => state.socket.emit('typing', { roomId: state.room, typing: $('text').value !== '' }));

$('send').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value;
  // One client id per message: a retry after a lost ack is stored once.
  const answer = await state.socket.emitWithAck('message:send', { roomId: state.room, clientId: crypto.randomUUID(), text });
  if (!answer.ok) return setStatus(answer.error.detail, 'error');
  show(answer.data);
  $('text').value = '';
  state.socket.emit('typing', { roomId: state.room, typing: false });
});
