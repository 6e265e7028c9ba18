import type { IncomingMessage, ServerResponse } from 'node:http';
import { listOutbox, type OutboxMessage, readOutbox } from '#functions/mail/mailer';

/**
 * The local outbox as pages: `/local/outbox` lists the messages the app
 * "sent" (newest first), `/local/outbox/<id>` shows one. Messages can carry
 * other people's invitations and reminders, so only this machine may read
 * them, even when the server also serves other machines (`--host`).
 */
const html = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}td,th{padding:.25rem .75rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style>
</head><body>${body}</body></html>`;

/** Whether a request comes from this machine. */
export function fromThisMachine(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

function listPage(messages: OutboxMessage[]): string {
  const rows = messages
    .map(
      (m) =>
        `<tr data-id="${html(m.id)}"><td>${html(m.at)}</td><td>${html(m.to)}</td><td><a href="/local/outbox/${html(m.id)}">${html(m.subject)}</a></td></tr>`,
    )
    .join('\n');
  return page(
    'Outbox',
    `<h1>Outbox</h1><p>Messages the app sent while running locally, newest first (${messages.length}). Nothing leaves this machine.</p>
${messages.length ? `<table><thead><tr><th>sent</th><th>to</th><th>subject</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No messages yet.</p>'}`,
  );
}

function messagePage(m: OutboxMessage): string {
  return page(
    m.subject,
    `<p><a href="/local/outbox">Outbox</a></p><h1>${html(m.subject)}</h1>
<table><tr><th>from</th><td>${html(m.from)}</td></tr><tr><th>to</th><td>${html(m.to)}</td></tr><tr><th>sent</th><td>${html(m.at)}</td></tr></table>
<pre>${html(m.text)}</pre>${m.html ? `<h2>HTML part</h2><pre>${html(m.html)}</pre>` : ''}`,
  );
}

/** Answers an outbox page; false when the path is not one (the caller answers 404). */
export function outboxPage(dir: string, req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  if (req.method !== 'GET' || !fromThisMachine(req)) return false;
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  };
  if (pathname === '/local/outbox' || pathname === '/local/outbox/') {
    res.writeHead(200, headers);
    res.end(listPage(listOutbox(dir)));
    return true;
  }
  const match = /^\/local\/outbox\/([^/]+)$/.exec(pathname);
  const message = match?.[1] ? readOutbox(dir, match[1]) : undefined;
  if (!message) return false;
  res.writeHead(200, headers);
  res.end(messagePage(message));
  return true;
}
