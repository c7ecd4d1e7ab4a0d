import { describe, expect, it } from 'vitest';
import { incidentForRole, maskName, maskPhone } from './masking.ts';
import type { Incident } from '../../contract/incidents.ts';

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'], // the form on Chinese public notices
    ['+8613812345678', '+86*******5678'],
    ['87654321', '******21'], // 8 chars: last third (2) shown
    ['12345', '****5'],
    ['1234', '****'], // 4 or fewer: nothing shown
    ['12', '**'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each([
    ['张三丰', '张**'],
    ['王', '王*'],
    ['Ada', 'A**'],
  ])('%s → %s', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});

describe('incidentForRole', () => {
  const incident = { id: 'x', reporter: { name: '张三', phone: '13812345678' } } as Incident;
  it('keeps personal data for responders and admins, masks it for viewers and planners', () => {
    expect(incidentForRole(incident, 'responder').reporter).toEqual({ name: '张三', phone: '13812345678' });
    expect(incidentForRole(incident, 'admin').reporter).toEqual({ name: '张三', phone: '13812345678' });
    expect(incidentForRole(incident, 'viewer').reporter).toEqual({ name: '张*', phone: '138****5678' });
    expect(incidentForRole(incident, 'planner').reporter).toEqual({ name: '张*', phone: '138****5678' });
  });
});
