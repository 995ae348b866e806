import type { DemoRequest, DemoResponse, Route } from './demo-route.js';
import { parseJsonObject } from './parse-body.js';
import { replyJson } from './reply.js';

/*
 * A habit tracker shaped like Pixela (https://pixe.la): users own graphs, graphs hold one
 * "pixel" (a quantity) per date. Bodies, messages and `{message, isSuccess}` answers follow
 * Pixela so that files written against it read the same here. Pixela answers a wrong token
 * with 400; we use 401 (no token) and 403 (wrong token), which is what clients expect.
 */

interface Pixel {
  quantity: string;
  optionalData?: string;
}

interface Graph {
  id: string;
  name: string;
  unit: string;
  type: 'int' | 'float';
  color: string;
  timezone?: string;
  pixels: Map<string, Pixel>;
}

interface User {
  token: string;
  graphs: Map<string, Graph>;
}

const USERNAME = /^[a-z][a-z0-9-]{1,32}$/;
const TOKEN = /^[ -~]{8,128}$/;
const GRAPH_ID = /^[a-z][a-z0-9-]{1,16}$/;
const COLORS = ['shibafu', 'momiji', 'sora', 'ichou', 'ajisai', 'kuro'];
const QUANTITY = { int: /^-?[0-9]+$/, float: /^-?[0-9]+\.[0-9]+$/ };

function success(message = 'Success.'): DemoResponse {
  return replyJson(200, { message, isSuccess: true });
}

function failure(status: number, message: string): DemoResponse {
  return replyJson(status, { message, isSuccess: false });
}

function isValidDate(date: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

export function createPixelaRoutes(): Route[] {
  const users = new Map<string, User>();

  /** The token check every call but user creation starts with. */
  function authenticate(request: DemoRequest): { user: User } | { response: DemoResponse } {
    const username = request.params['user'] ?? '';
    const token = request.headers['x-user-token'];
    if (typeof token !== 'string' || token === '') {
      return { response: failure(401, 'X-USER-TOKEN header is required.') };
    }
    const user = users.get(username);
    if (!user || user.token !== token) {
      return { response: failure(403, `User \`${username}\` does not exist or the token is wrong.`) };
    }
    return { user };
  }

  function findGraph(request: DemoRequest): { user: User; graph: Graph } | { response: DemoResponse } {
    const auth = authenticate(request);
    if ('response' in auth) return auth;
    const graphId = request.params['graph'] ?? '';
    const graph = auth.user.graphs.get(graphId);
    if (!graph) return { response: failure(404, `Specified graph \`${graphId}\` not found.`) };
    return { user: auth.user, graph };
  }

  function readQuantity(graph: Graph, body: Record<string, unknown>): string | DemoResponse {
    const quantity = body['quantity'];
    if (typeof quantity !== 'string') return failure(400, 'quantity is required and must be a string (e.g. "5").');
    if (!QUANTITY[graph.type].test(quantity)) {
      return failure(400, `Specified quantity \`${quantity}\` is invalid for a graph of type ${graph.type}.`);
    }
    return quantity;
  }

  const createUser = (request: DemoRequest): DemoResponse => {
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return failure(400, parsed.message);
    const { token, username, agreeTermsOfService, notMinor } = parsed.value;
    if (typeof username !== 'string' || !USERNAME.test(username)) {
      return failure(400, 'Validation error: username must match ^[a-z][a-z0-9-]{1,32}$.');
    }
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      return failure(400, 'Validation error: token must be 8 to 128 printable ASCII characters.');
    }
    if (agreeTermsOfService !== 'yes') return failure(400, 'Validation error: agreeTermsOfService must be "yes".');
    if (notMinor !== 'yes') return failure(400, 'Validation error: notMinor must be "yes".');
    if (users.has(username)) return failure(409, 'This user already exist.');
    users.set(username, { token, graphs: new Map() });
    return success(`Success. Let's visit /@${username} , it is your profile page!`);
  };

  const deleteUser = (request: DemoRequest): DemoResponse => {
    const auth = authenticate(request);
    if ('response' in auth) return auth.response;
    users.delete(request.params['user'] ?? '');
    return success();
  };

  const listGraphs = (request: DemoRequest): DemoResponse => {
    const auth = authenticate(request);
    if ('response' in auth) return auth.response;
    const graphs = [...auth.user.graphs.values()].map(({ pixels: _pixels, ...graph }) => graph);
    return replyJson(200, { graphs });
  };

  const createGraph = (request: DemoRequest): DemoResponse => {
    const auth = authenticate(request);
    if ('response' in auth) return auth.response;
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return failure(400, parsed.message);
    const { id, name, unit, type, color, timezone } = parsed.value;
    if (typeof id !== 'string' || !GRAPH_ID.test(id)) {
      return failure(400, 'Validation error: id must match ^[a-z][a-z0-9-]{1,16}$.');
    }
    if (typeof name !== 'string' || name === '') return failure(400, 'Validation error: name is required.');
    if (typeof unit !== 'string' || unit === '') return failure(400, 'Validation error: unit is required.');
    if (type !== 'int' && type !== 'float') return failure(400, 'Validation error: type must be "int" or "float".');
    if (typeof color !== 'string' || !COLORS.includes(color)) {
      return failure(400, `Validation error: color must be one of ${COLORS.join(', ')}.`);
    }
    if (auth.user.graphs.has(id)) return failure(409, `Graph \`${id}\` already exists.`);
    const graph: Graph = { id, name, unit, type, color, pixels: new Map() };
    if (typeof timezone === 'string') graph.timezone = timezone;
    auth.user.graphs.set(id, graph);
    return success();
  };

  const deleteGraph = (request: DemoRequest): DemoResponse => {
    const found = findGraph(request);
    if ('response' in found) return found.response;
    found.user.graphs.delete(found.graph.id);
    return success();
  };

  const listPixels = (request: DemoRequest): DemoResponse => {
    const found = findGraph(request);
    if ('response' in found) return found.response;
    return replyJson(200, { pixels: [...found.graph.pixels.keys()].sort() });
  };

  const postPixel = (request: DemoRequest): DemoResponse => {
    const found = findGraph(request);
    if ('response' in found) return found.response;
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return failure(400, parsed.message);
    const { date, optionalData } = parsed.value;
    if (typeof date !== 'string' || !isValidDate(date)) {
      return failure(400, 'Validation error: date must be a real date in yyyyMMdd format.');
    }
    const quantity = readQuantity(found.graph, parsed.value);
    if (typeof quantity !== 'string') return quantity;
    found.graph.pixels.set(date, typeof optionalData === 'string' ? { quantity, optionalData } : { quantity });
    return success();
  };

  const getPixel = (request: DemoRequest): DemoResponse => {
    const found = findGraph(request);
    if ('response' in found) return found.response;
    const pixel = found.graph.pixels.get(request.params['date'] ?? '');
    if (!pixel) return failure(404, 'Specified pixel not found.');
    return replyJson(200, pixel);
  };

  /** Pixela's PUT is an upsert: it records the pixel whether or not the date had one. */
  const putPixel = (request: DemoRequest): DemoResponse => {
    const found = findGraph(request);
    if ('response' in found) return found.response;
    const date = request.params['date'] ?? '';
    if (!isValidDate(date)) return failure(400, 'Validation error: date must be a real date in yyyyMMdd format.');
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return failure(400, parsed.message);
    const quantity = readQuantity(found.graph, parsed.value);
    if (typeof quantity !== 'string') return quantity;
    const optionalData = parsed.value['optionalData'];
    found.graph.pixels.set(date, typeof optionalData === 'string' ? { quantity, optionalData } : { quantity });
    return success();
  };

  const deletePixel = (request: DemoRequest): DemoResponse => {
    const found = findGraph(request);
    if ('response' in found) return found.response;
    if (!found.graph.pixels.delete(request.params['date'] ?? '')) return failure(404, 'Specified pixel not found.');
    return success();
  };

  return [
    { method: 'POST', path: '/v1/users', handle: createUser },
    { method: 'DELETE', path: '/v1/users/:user', handle: deleteUser },
    { method: 'GET', path: '/v1/users/:user/graphs', handle: listGraphs },
    { method: 'POST', path: '/v1/users/:user/graphs', handle: createGraph },
    { method: 'POST', path: '/v1/users/:user/graphs/:graph', handle: postPixel },
    { method: 'DELETE', path: '/v1/users/:user/graphs/:graph', handle: deleteGraph },
    { method: 'GET', path: '/v1/users/:user/graphs/:graph/pixels', handle: listPixels },
    { method: 'GET', path: '/v1/users/:user/graphs/:graph/:date', handle: getPixel },
    { method: 'PUT', path: '/v1/users/:user/graphs/:graph/:date', handle: putPixel },
    { method: 'DELETE', path: '/v1/users/:user/graphs/:graph/:date', handle: deletePixel },
  ];
}
