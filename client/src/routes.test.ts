import { describe, expect, it } from 'vitest';
import { homeFor, pageHref, routeFromPath } from './routes.ts';

describe('routes', () => {
  it('reads each page path, with or without a trailing slash', () => {
    expect(routeFromPath('/wall')).toBe('wall');
    expect(routeFromPath('/wall/')).toBe('wall');
    expect(routeFromPath('/planner')).toBe('planner');
    expect(routeFromPath('/responder')).toBe('responder');
    expect(routeFromPath('/console')).toBe('console');
  });

  it('treats / and unknown paths as home', () => {
    expect(routeFromPath('/')).toBe('home');
    expect(routeFromPath('')).toBe('home');
    expect(routeFromPath('/walls')).toBe('home');
    expect(routeFromPath('/wall/extra')).toBe('home');
  });

  it('sends each role to its own page', () => {
    expect(homeFor('viewer')).toBe('wall');
    expect(homeFor('responder')).toBe('responder');
    expect(homeFor('planner')).toBe('planner');
    expect(homeFor('admin')).toBe('console');
  });

  it('keeps the query and hash when moving to a page', () => {
    expect(pageHref('wall', '?lang=en&rotate=30', '#x')).toBe('/wall?lang=en&rotate=30#x');
    expect(pageHref('planner', '', '')).toBe('/planner');
  });
});

describe('?lang=', () => {
  it('names the language in the address, whatever its case', async () => {
    const { langFromQuery } = await import('./i18n/i18n.ts');
    expect(langFromQuery('?lang=en')).toBe('en');
    expect(langFromQuery('?layers=risk&lang=EN-GB')).toBe('en');
    expect(langFromQuery('?lang=zh-CN')).toBe('zh-CN');
    expect(langFromQuery('?lang=zh')).toBe('zh-CN');
    expect(langFromQuery('?lang=fr')).toBeNull();
    expect(langFromQuery('')).toBeNull();
  });
});
