import { createHash } from 'node:crypto';
import type { DemoRequest, DemoResponse, Route } from './demo-route.js';
import { readBearerToken } from './credentials.js';
import { encodeLatin1 } from './latin1.js';
import { parseJsonObject } from './parse-body.js';
import { replyEmpty, replyJson } from './reply.js';

/*
 * Posts and a profile behind a Bearer token: the everyday REST shape (201 + Location on
 * create, 204 on delete, 404 afterwards, 422 for a body that parses but does not fit).
 * The profile card answers in ISO-8859-1 so that clients have to honour the charset.
 */

interface Post {
  id: number;
  title: string;
  body: string;
  tags: string[];
  author: string;
  createdAt: string;
}

interface Profile {
  username: string;
  displayName: string;
  bio: string;
  location: string;
}

const PROFILE_FIELDS = ['displayName', 'bio', 'location'] as const;

function problem(status: number, message: string, headers: Record<string, string> = {}): DemoResponse {
  return replyJson(status, { error: message }, headers);
}

export function createPostsRoutes(token: string): Route[] {
  const posts = new Map<number, Post>();
  let nextId = 1;
  const profile: Profile = {
    username: 'demo',
    displayName: 'Demo User',
    bio: 'Drinks café au lait while testing APIs.',
    location: 'Montréal',
  };

  /** Wraps a handler with the Bearer check; RFC 6750 says how each failure is announced. */
  const withBearer =
    (handle: (request: DemoRequest) => DemoResponse) =>
    (request: DemoRequest): DemoResponse => {
      const given = readBearerToken(request.headers);
      if (given === undefined) {
        return problem(401, 'Missing bearer token: send "Authorization: Bearer <token>".', {
          'www-authenticate': 'Bearer realm="demo"',
        });
      }
      if (given !== token) {
        return problem(401, 'Invalid bearer token.', {
          'www-authenticate': 'Bearer realm="demo", error="invalid_token"',
        });
      }
      return handle(request);
    };

  function findPost(request: DemoRequest): Post | undefined {
    const id = request.params['id'] ?? '';
    return /^\d+$/.test(id) ? posts.get(Number(id)) : undefined;
  }

  const createPost = (request: DemoRequest): DemoResponse => {
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return problem(400, parsed.message);
    const { title, body = '', tags = [] } = parsed.value;
    if (typeof title !== 'string' || title.trim() === '') return problem(422, 'title is required and must be a non-empty string.');
    if (typeof body !== 'string') return problem(422, 'body must be a string.');
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
      return problem(422, 'tags must be an array of strings.');
    }
    const post: Post = { id: nextId++, title, body, tags, author: profile.username, createdAt: new Date().toISOString() };
    posts.set(post.id, post);
    // Absolute, so that a file can follow it: GET {{create.response.headers.Location}}.
    const path = `/api/posts/${post.id}`;
    const location = request.headers.host ? `http://${request.headers.host}${path}` : path;
    return replyJson(201, post, { location });
  };

  const listPosts = (): DemoResponse => replyJson(200, { posts: [...posts.values()] });

  const getPost = (request: DemoRequest): DemoResponse => {
    const post = findPost(request);
    return post ? replyJson(200, post) : problem(404, `Post ${request.params['id']} not found.`);
  };

  const deletePost = (request: DemoRequest): DemoResponse => {
    const post = findPost(request);
    if (!post) return problem(404, `Post ${request.params['id']} not found.`);
    posts.delete(post.id);
    return replyEmpty(204);
  };

  const renderProfile = (): DemoResponse => {
    const body = JSON.stringify(profile);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    return { ...replyJson(200, profile, { etag }), body };
  };

  const updateProfile = (request: DemoRequest): DemoResponse => {
    const parsed = parseJsonObject(request.body);
    if (!parsed.ok) return problem(400, parsed.message);
    for (const field of PROFILE_FIELDS) {
      const value = parsed.value[field];
      if (value !== undefined && typeof value !== 'string') return problem(422, `${field} must be a string.`);
    }
    for (const field of PROFILE_FIELDS) {
      const value = parsed.value[field];
      if (typeof value === 'string') profile[field] = value;
    }
    return renderProfile();
  };

  const profileCard = (): DemoResponse => ({
    status: 200,
    headers: { 'content-type': 'text/plain; charset=iso-8859-1' },
    body: encodeLatin1(`${profile.displayName} (@${profile.username})\n${profile.location}\n${profile.bio}\n`),
  });

  return [
    { method: 'GET', path: '/api/posts', handle: withBearer(listPosts) },
    { method: 'POST', path: '/api/posts', handle: withBearer(createPost) },
    { method: 'GET', path: '/api/posts/:id', handle: withBearer(getPost) },
    { method: 'DELETE', path: '/api/posts/:id', handle: withBearer(deletePost) },
    { method: 'GET', path: '/api/profile', handle: withBearer(renderProfile) },
    { method: 'PUT', path: '/api/profile', handle: withBearer(updateProfile) },
    { method: 'GET', path: '/api/profile/card', handle: withBearer(profileCard) },
  ];
}
