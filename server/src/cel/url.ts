import { celFunc, celMap, celMethod, CelScalar, listType, mapType, type CelFunc, type CelMap, type CelValue } from '@bufbuild/cel';
import { opaqueCodec, URL_TYPE } from './opaque';

/*
 * Go's net/url works on bytes, so the parser below does too: its strings hold one UTF-8 byte per character
 * ("byte strings"), converted at the edges, which keeps Go's byte-wise checks and %-escapes exact for non-ASCII text.
 */
const toBytes = (text: string) => Array.from(new TextEncoder().encode(text), (byte) => String.fromCharCode(byte)).join('');
const fromBytes = (bytes: string) => new TextDecoder().decode(Uint8Array.from(bytes, (char) => char.charCodeAt(0)));
const quote = (bytes: string) => JSON.stringify(fromBytes(bytes));

/** The error inside Go's url.Error (`parse "<url>": <why>`). */
class UrlError extends Error {}

/** The parts of a URL that net/url exposes, the path and fragment already in their escaped form. */
interface GoUrl {
  scheme: string;
  opaque: string;
  /** Userinfo as URL.String writes it (escaped), when the URL has one. */
  user: string | undefined;
  host: string;
  escapedPath: string;
  rawQuery: string;
  forceQuery: boolean;
  omitHost: boolean;
  escapedFragment: string;
}

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlphanumeric = (char: string) => /^[A-Za-z0-9]$/.test(char);
const isHex = (char: string | undefined) => char !== undefined && /^[0-9A-Fa-f]$/.test(char);

/** net/url's shouldEscape: whether this byte must be %-escaped in this part of a URL. */
function shouldEscape(char: string, mode: Mode): boolean {
  if (isAlphanumeric(char)) return false;
  if ((mode === 'host' || mode === 'zone') && '!$&\'()*+,;=:[]<>"'.includes(char)) return false;
  if ('-_.~'.includes(char)) return false;
  if ('$&+,/:;=?@'.includes(char)) {
    if (mode === 'path') return char === '?';
    if (mode === 'userPassword') return '@/?:'.includes(char);
    if (mode === 'queryComponent') return true;
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(char)) return false;
  return true;
}

/** net/url's unescape, with its checks: well-formed escapes; in a host only non-ASCII bytes (or %25) escaped. */
function unescape(text: string, mode: Mode): string {
  let result = '';
  for (let index = 0; index < text.length; ) {
    const char = text[index];
    if (char === '%') {
      const escape = text.slice(index, index + 3);
      if (!isHex(text[index + 1]) || !isHex(text[index + 2])) throw new UrlError(`invalid URL escape ${quote(escape)}`);
      const byte = parseInt(escape.slice(1), 16);
      if (mode === 'host' && byte < 0x80 && escape !== '%25') throw new UrlError(`invalid URL escape ${quote(escape)}`);
      if (mode === 'zone' && escape !== '%25' && byte !== 0x20 && shouldEscape(String.fromCharCode(byte), 'host')) throw new UrlError(`invalid URL escape ${quote(escape)}`);
      result += String.fromCharCode(byte);
      index += 3;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && char.charCodeAt(0) < 0x80 && char !== '+' && shouldEscape(char, mode)) throw new UrlError(`invalid character ${quote(char)} in host name`);
    result += char === '+' && mode === 'queryComponent' ? ' ' : char;
    index += 1;
  }
  return result;
}

function escape(text: string, mode: Mode): string {
  return Array.from(text, (char) => (shouldEscape(char, mode) ? `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : char)).join('');
}

/** net/url's validEncoded: a raw path or fragment that can be kept as written. */
function validEncoded(text: string, mode: Mode): boolean {
  return Array.from(text).every((char) => "!$&'()*+,;=:@[]%".includes(char) || !shouldEscape(char, mode));
}

/** EscapedPath / EscapedFragment: the text as written when it is validly encoded, else the decoded text re-escaped. */
function escapedForm(raw: string, mode: 'path' | 'fragment'): string {
  const decoded = unescape(raw, mode);
  return validEncoded(raw, mode) ? raw : escape(decoded, mode);
}

const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${quote(colonPort)} after host`);
    // RFC 6874: `%25` starts an IPv6 zone, which may escape more than a host may.
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, close), 'zone') + unescape(host.slice(close), 'host');
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) throw new UrlError(`invalid port ${quote(host.slice(colon))} after host`);
  }
  return unescape(host, 'host');
}

function parseAuthority(authority: string): { user: string | undefined; host: string } {
  const at = authority.lastIndexOf('@');
  const host = parseHost(authority.slice(at + 1));
  if (at < 0) return { user: undefined, host };
  const userinfo = authority.slice(0, at);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new UrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  const name = escape(unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userPassword'), 'userPassword');
  const password = colon < 0 ? undefined : escape(unescape(userinfo.slice(colon + 1), 'userPassword'), 'userPassword');
  return { user: password === undefined ? name : `${name}:${password}`, host };
}

/** Go's url.getScheme: letters, then letters, digits, `+-.`, up to the first `:`. */
function splitScheme(raw: string): { scheme: string; rest: string } {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(raw);
  if (match) return { scheme: match[0].slice(0, -1).toLowerCase(), rest: raw.slice(match[0].length) };
  if (raw.startsWith(':')) throw new UrlError('missing protocol scheme');
  return { scheme: '', rest: raw };
}

/** Go's url.parse; `viaRequest` is ParseRequestURI's variant (absolute URL or absolute path, no fragment split). */
function parse(raw: string, viaRequest: boolean): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new UrlError('empty url');
  const url: GoUrl = { scheme: '', opaque: '', user: undefined, host: '', escapedPath: '', rawQuery: '', forceQuery: false, omitHost: false, escapedFragment: '' };
  if (raw === '*') return { ...url, escapedPath: '*' };
  const { scheme, rest: afterScheme } = splitScheme(raw);
  let rest = afterScheme;
  url.scheme = scheme;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else if (rest.includes('?')) {
    url.rawQuery = rest.slice(rest.indexOf('?') + 1);
    rest = rest.slice(0, rest.indexOf('?'));
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...url, opaque: rest };
    if (viaRequest) throw new UrlError('invalid URI for request');
    if (rest.split('/')[0].includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    Object.assign(url, parseAuthority(slash < 0 ? rest.slice(2) : rest.slice(2, slash)));
    rest = slash < 0 ? '' : rest.slice(slash);
  } else if (scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true;
  }
  url.escapedPath = escapedForm(rest, 'path');
  return url;
}

/** Go's url.Parse: the fragment is cut off first, so `#` never reaches the path or query. */
function parseWithFragment(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash);
  const url = goParse(beforeFragment, false);
  if (hash < 0 || hash === raw.length - 1) return url;
  try {
    return { ...url, escapedFragment: escapedForm(raw.slice(hash + 1), 'fragment') };
  } catch (error) {
    throw error instanceof UrlError ? new UrlError(`parse ${quote(raw)}: ${error.message}`) : error;
  }
}

/** parse, its error worded as Go's url.Error. */
function goParse(raw: string, viaRequest: boolean): GoUrl {
  try {
    return parse(raw, viaRequest);
  } catch (error) {
    throw error instanceof UrlError ? new UrlError(`parse ${quote(raw)}: ${error.message}`) : error;
  }
}

/** URL.String, which Kubernetes compares for `==`. */
function format(url: GoUrl): string {
  let text = url.scheme === '' ? '' : `${url.scheme}:`;
  if (url.opaque !== '') {
    text += url.opaque;
  } else {
    const hasAuthority = url.scheme !== '' || url.host !== '' || url.user !== undefined;
    if (hasAuthority && !(url.omitHost && url.host === '' && url.user === undefined)) {
      if (url.host !== '' || url.escapedPath !== '' || url.user !== undefined) text += '//';
      if (url.user !== undefined) text += `${url.user}@`;
      text += escape(url.host, 'host');
    }
    if (url.escapedPath !== '' && !url.escapedPath.startsWith('/') && url.host !== '') text += '/';
    // A relative path whose first segment has a colon would read as a scheme.
    if (text === '' && url.escapedPath.split('/')[0].includes(':')) text += './';
    text += url.escapedPath;
  }
  if (url.forceQuery || url.rawQuery !== '') text += `?${url.rawQuery}`;
  if (url.escapedFragment !== '') text += `#${url.escapedFragment}`;
  return text;
}

/** Go's splitHostPort behind Hostname() and Port(): a trailing valid `:port`, then IPv6 brackets removed. */
function splitHostPort(hostPort: string): { hostname: string; port: string } {
  const colon = hostPort.lastIndexOf(':');
  let hostname = hostPort;
  let port = '';
  if (colon >= 0 && validOptionalPort(hostPort.slice(colon))) [hostname, port] = [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** Go's url.ParseQuery, whose errors URL.Query() drops: pairs with `;` or bad escapes are left out. */
function parseQuery(rawQuery: string): CelMap {
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const equals = pair.indexOf('=');
    try {
      const key = fromBytes(unescape(equals < 0 ? pair : pair.slice(0, equals), 'queryComponent'));
      const value = fromBytes(unescape(equals < 0 ? '' : pair.slice(equals + 1), 'queryComponent'));
      values.set(key, [...(values.get(key) ?? []), value]);
    } catch (error) {
      if (!(error instanceof UrlError)) throw error;
    }
  }
  return celMap(values);
}

/** Kubernetes' url(): ParseRequestURI must accept the text, then Parse gives the parts. */
function parseUrl(text: string): GoUrl {
  const raw = toBytes(text);
  try {
    goParse(raw, true);
    return parseWithFragment(raw);
  } catch (error) {
    throw error instanceof UrlError ? new Error(`URL parse error during conversion from string: ${error.message}`) : error;
  }
}

/** The parts of each URL value, which its message (holding URL.String for `==`) does not carry. */
const { toCel, fromCel } = opaqueCodec(URL_TYPE, (url: GoUrl) => ({ text: fromBytes(format(url)) }), 'url');

const URL = URL_TYPE.celType;

/** Kubernetes' url library (k8s.io/apiserver/pkg/cel/library/urls.go). */
export const URL_FUNCTIONS: readonly CelFunc[] = [
  celFunc('url', [CelScalar.STRING], URL, (text) => toCel(parseUrl(text))),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (text) => {
    try {
      goParse(toBytes(text), true);
      return true;
    } catch (error) {
      if (error instanceof UrlError) return false;
      throw error;
    }
  }),
  celMethod('getScheme', URL, [], CelScalar.STRING, function (this: CelValue) {
    return fromBytes(fromCel(this).scheme);
  }),
  celMethod('getHost', URL, [], CelScalar.STRING, function (this: CelValue) {
    return fromBytes(fromCel(this).host);
  }),
  celMethod('getHostname', URL, [], CelScalar.STRING, function (this: CelValue) {
    return fromBytes(splitHostPort(fromCel(this).host).hostname);
  }),
  celMethod('getPort', URL, [], CelScalar.STRING, function (this: CelValue) {
    return fromBytes(splitHostPort(fromCel(this).host).port);
  }),
  celMethod('getEscapedPath', URL, [], CelScalar.STRING, function (this: CelValue) {
    return fromBytes(fromCel(this).escapedPath);
  }),
  celMethod('getQuery', URL, [], mapType(CelScalar.STRING, listType(CelScalar.STRING)), function (this: CelValue) {
    return parseQuery(fromCel(this).rawQuery);
  }),
];
