// The JSON gateway: unary calls as POST /api/v1/rpc/<service>/<Method>, server streams as Server-Sent Events from
// GET /api/v1/stream/<service>/<Method>?request=<json>. The session cookie (HttpOnly) is sent by the browser; this
// module never sees a token.

const PACKAGE = 'caod.v1';

/** A failed call: HTTP status, the gRPC code name, and the daemon's message (shown to the user verbatim). */
export class ApiError extends Error {
  constructor(httpStatus, code, message) {
    super(message);
    this.name = 'ApiError';
    this.httpStatus = httpStatus;
    this.code = code;
  }
}

const HTTP_CODES = {400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  409: 'FAILED_PRECONDITION', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED'};

let unauthenticated = () => {};

/** Called on any 401 (the cookie is missing or stale): the app then shows how to sign in. */
export function onUnauthenticated(fn) {
  unauthenticated = fn;
}

/** rpc('SessionService', 'GetTerminal', {terminalId}) -> the response message. Throws ApiError. */
export async function rpc(service, method, request = {}) {
  let response;
  try {
    response = await fetch(`/api/v1/rpc/${PACKAGE}.${service}/${method}`, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify(request),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'UNAVAILABLE', `caod did not answer (${e.message}). Is the daemon running?`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = null;
  }
  if (!response.ok) {
    if (response.status === 401) unauthenticated();
    const code = body?.code || HTTP_CODES[response.status] || `HTTP_${response.status}`;
    const message = body?.error || text.trim() || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, code, message);
  }
  if (body === null) throw new ApiError(response.status, 'INTERNAL', `caod answered with something that is not JSON: ${text.slice(0, 200)}`);
  return body;
}

/** The URL of a server stream, e.g. for EventSource. */
export function streamUrl(service, method, request = {}) {
  return `/api/v1/stream/${PACKAGE}.${service}/${method}?request=${encodeURIComponent(JSON.stringify(request))}`;
}

/**
 * Opens a server stream. handlers: onOpen(), onMessage(message, lastEventId), onEnd(), onError(serverError|null).
 * The gateway ends a finished stream with `event: end` (then onEnd, or onError(null) when there is no onEnd; the
 * source is closed first, so EventSource does not start the stream again). onError gets the gateway's {error, code}
 * when it sent one as an `event: error`, else null (connection lost, or refused before it started: EventSource
 * cannot tell these apart; the caller decides and usually closes). EventSource would reconnect by itself with the
 * original request; callers close it in onError and reopen with their own resume point instead. Returns {close()}.
 */
export function openStream(service, method, request, handlers) {
  const source = new EventSource(streamUrl(service, method, request));
  let closed = false;
  source.addEventListener('open', () => !closed && handlers.onOpen?.());
  source.addEventListener('message', (e) => {
    if (closed) return;
    let message;
    try {
      message = JSON.parse(e.data);
    } catch {
      return; // not a message of ours (e.g. a keep-alive); ignore
    }
    handlers.onMessage?.(message, e.lastEventId);
  });
  source.addEventListener('end', () => {
    if (closed) return;
    closed = true;
    source.close();
    if (handlers.onEnd) handlers.onEnd();
    else handlers.onError?.(null);
  });
  // Both the transport's error and a server-sent `event: error` (which carries data) arrive here.
  source.addEventListener('error', (e) => {
    if (closed) return;
    let serverError = null;
    if (typeof e.data === 'string' && e.data) {
      try {
        serverError = JSON.parse(e.data);
      } catch {
        serverError = {error: e.data, code: 'UNKNOWN'};
      }
    }
    handlers.onError?.(serverError);
  });
  return {
    close() {
      closed = true;
      source.close();
    },
  };
}
