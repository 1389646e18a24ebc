// The line between the film's window (index.html) and the presenter view
// (presenter.html): no server, from file:// and over HTTP.
//
// Every message goes two ways at once:
// - a BroadcastChannel named by the site's folder: pages from one folder share it, over
//   HTTP and in Chromium from file:// too (Chromium gives file:// pages one storage
//   origin), and it survives either window reloading;
// - postMessage to the other window's handle (window.open's result, window.opener), for
//   browsers whose file:// pages share no channel (Firefox gives each file its own origin).
// Each sender numbers its messages; a receiver keeps the first copy and drops the other.
// Each way is in order, so a copy numbered below the last one seen is always a repeat.
"use strict";

window.bceLink = (onMessage) => {
  const self = Math.random().toString(36).slice(2);
  const name = `bce-video ${new URL(".", location.href).href}`;
  const peers = new Set(); // the other windows' handles
  const lastSeen = new Map(); // sender -> the number of its last message taken
  let sent = 0;
  let channel = null;
  try {
    channel = new BroadcastChannel(name);
  } catch {
    channel = null; // no BroadcastChannel here: window handles only
  }

  function receive(message, source) {
    if (!message || message.channel !== name || message.from === self) return;
    if ((lastSeen.get(message.from) || 0) >= message.n) return;
    lastSeen.set(message.from, message.n);
    onMessage(message.body, message.from);
  }

  if (channel) channel.addEventListener("message", (event) => receive(event.data, null));
  // Only from the windows this one opened or was opened by: any page can post a message.
  window.addEventListener("message", (event) => {
    if (event.source && peers.has(event.source)) receive(event.data, event.source);
  });

  return {
    id: self,
    addPeer(other) {
      if (other && other !== window) peers.add(other);
    },
    send(body) {
      const message = { channel: name, from: self, n: ++sent, body };
      if (channel) channel.postMessage(message);
      for (const peer of peers) {
        if (peer.closed) {
          peers.delete(peer);
          continue;
        }
        try {
          peer.postMessage(message, "*"); // file:// pages' origin is "null": no narrower target
        } catch {
          peers.delete(peer);
        }
      }
    },
  };
};
