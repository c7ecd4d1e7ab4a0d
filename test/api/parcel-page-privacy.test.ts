/**
 * The public parcel page masks personal numbers in every free text a planner may type: the
 * parcel's name and address, each step's department, each document's title and number (and never
 * shows the step note). The masked forms below are written by hand from the masking rule (a mobile
 * keeps its first 3 and last 4 digits, an ID number its 6-digit region and last 4, separators stay),
 * not computed by the server's masking code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRawClient, rawRequest } from '../support/hostile-requests.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** Each personal number as typed, and as the public may see it. */
const NUMBERS = {
  mobile: ['13812345678', '138****5678'],
  id: ['33010619900101123X', '330106********123X'],
  spaced: ['139 8765 4321', '139 **** 4321'],
  landline: ['0571-87654321', '057*-****4321'],
  plus86: ['+86 137-0000-1111', '+86 137-****-1111'],
  noteOnly: ['15611112222', '156****2222'],
} as const;
const typed = (k: keyof typeof NUMBERS) => NUMBERS[k][0];
const masked = (k: keyof typeof NUMBERS) => NUMBERS[k][1];

const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
let s: TestServer;
let code = '';

beforeAll(async () => {
  s = await startTestServer({ demoData: false });
  await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 10_000 } }] });
  const created = await api(s, 'POST', '/api/v1/parcels', {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: box(120.01, 30.01, 0.001) },
    properties: {
      landUse: '07',
      name: `文三路地块 联系 ${typed('mobile')}`,
      address: `西湖区文三路 1 号（业主身份证 ${typed('id')}）`,
      department: `杭州市规划和自然资源局 经办 ${typed('landline')}`,
      documents: [{ title: `控规批复 联系 ${typed('spaced')}`, number: typed('plus86'), issuedAt: '2026-02-20' }],
    },
  });
  expect(created.status).toBe(201);
  code = created.body.properties.code;
  const step = await api(s, 'POST', `/api/v1/parcels/${code}/steps`, {
    step: 'supplied',
    department: `公共资源交易中心 ${typed('mobile')}`,
    documents: [{ title: `出让合同 ${typed('id')}`, number: `M-1 ${typed('landline')}`, issuedAt: '2026-03-01' }],
    note: `买受人 ${typed('noteOnly')}`,
  });
  expect(step.status).toBe(201);
});
afterAll(async () => {
  closeRawClient();
  await s?.close();
});

/** The number as typed and with its separators removed: neither may appear. */
const forms = (n: string) => [...new Set([n, n.replace(/[^\dXx]/g, '')])];

describe('the public parcel page masks personal numbers in every free text', () => {
  it('shows none of them in full, in either language, and shows each masked', async () => {
    for (const path of [`/p/${code}`, `/p/${code}?lang=en`, `/p/${code}?lang=zh-CN`]) {
      const res = await rawRequest(s.url, 'GET', path);
      expect(res.status, path).toBe(200);
      for (const [name, [raw]] of Object.entries(NUMBERS)) for (const form of forms(raw)) expect(res.body, `${path}: ${name} ${form}`).not.toContain(form);
      for (const name of ['mobile', 'id', 'spaced', 'landline', 'plus86'] as const) expect(res.body, `${path}: ${name} masked`).toContain(masked(name));
      // The step note is never shown, not even masked.
      expect(res.body).not.toContain(masked('noteOnly'));
      expect(res.body).not.toContain('买受人');
    }
  });

  it('leaks none through the look-up redirect or the QR code images either', async () => {
    const lookup = await fetch(`${s.url}/p?code=${code}`);
    const qr = await rawRequest(s.url, 'GET', `/api/v1/parcels/${code}/qr.svg`);
    for (const text of [await lookup.text(), qr.body]) for (const [raw] of Object.values(NUMBERS)) for (const form of forms(raw)) expect(text).not.toContain(form);
  });

  it('still shows the administrator the numbers as typed (the mask is for the public page)', async () => {
    const detail = await api(s, 'GET', `/api/v1/parcels/${code}`);
    expect(detail.body.properties.name).toContain(typed('mobile'));
  });
});
