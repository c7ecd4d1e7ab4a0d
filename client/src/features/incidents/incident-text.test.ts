import { describe, expect, it } from 'vitest';
import type { Incident } from '#contract/index.ts';
import { incidentText } from './incident-text.ts';

type Texts = Pick<Incident, 'title' | 'description' | 'attributes'>;

/** A CAP alert in US English and Spanish: the incident's own title is the first, the English one. */
const bilingual: Texts = {
  title: 'Flash Flood Warning',
  description: 'Flooding of low-lying roads.',
  attributes: {
    texts: [
      { language: 'en-US', title: 'Flash Flood Warning', description: 'Flooding of low-lying roads.', areaDesc: 'Harris County' },
      { language: 'es-US', title: 'Aviso de inundación repentina', description: 'Inundación de calles bajas.', areaDesc: 'Condado de Harris' },
    ],
  },
};

describe('incidentText', () => {
  it('shows the text in the page language when the incident has one', () => {
    const trilingual: Texts = {
      title: 'Flood warning',
      description: 'Rising water.',
      attributes: {
        texts: [
          { language: 'en-CA', title: 'Flood warning', description: 'Rising water.' },
          { language: 'fr-CA', title: 'Avertissement de crue', description: 'Montée des eaux.' },
          { language: 'zh-CN', title: '洪水预警', description: '水位上涨。', areaDesc: '西湖区' },
        ],
      },
    };
    expect(incidentText(trilingual, 'zh-CN')).toEqual({ title: '洪水预警', description: '水位上涨。', areaDesc: '西湖区', language: 'zh-CN' });
    // `en` matches any English tag: en-CA here.
    expect(incidentText(trilingual, 'en')).toEqual({ title: 'Flood warning', description: 'Rising water.', language: 'en-CA' });
  });

  it('falls back to the incident title and description (the first language) when none matches', () => {
    // A Chinese page, and the alert is in English and Spanish only: the first, English, is shown.
    expect(incidentText(bilingual, 'zh-CN')).toEqual({
      title: 'Flash Flood Warning',
      description: 'Flooding of low-lying roads.',
      areaDesc: 'Harris County',
      language: 'en-US',
    });
  });

  it('prefers the exact tag, then any tag of the same language, case aside', () => {
    const chinese: Texts = {
      title: '暴雨預警',
      description: '',
      attributes: {
        texts: [
          { language: 'zh-TW', title: '暴雨預警', description: '' },
          { language: 'ZH-cn', title: '暴雨预警', description: '' },
        ],
      },
    };
    expect(incidentText(chinese, 'zh-CN').title).toBe('暴雨预警');
    const traditionalOnly: Texts = { ...chinese, attributes: { texts: [{ language: 'zh-TW', title: '暴雨預警', description: '' }] } };
    expect(incidentText(traditionalOnly, 'zh-CN').title).toBe('暴雨預警');
  });

  it('uses the incident itself when it carries no texts, or only malformed ones', () => {
    const plain: Texts = { title: '某路口交通事故', description: '两车相撞', attributes: {} };
    expect(incidentText(plain, 'en')).toEqual({ title: '某路口交通事故', description: '两车相撞' });
    const odd: Texts = { ...plain, attributes: { texts: [{ language: 'en', title: 7 }, 'en', null] } };
    expect(incidentText(odd, 'en')).toEqual({ title: '某路口交通事故', description: '两车相撞' });
    expect(incidentText({ ...plain, attributes: { texts: 'en' } }, 'en')).toEqual({ title: '某路口交通事故', description: '两车相撞' });
    // A one-language CAP alert keeps its area's words beside the other attributes.
    expect(incidentText({ ...plain, attributes: { areaDesc: '西湖区北山街' } }, 'en').areaDesc).toBe('西湖区北山街');
  });

  it('borrows a field the chosen text leaves empty from the incident', () => {
    const sparse: Texts = {
      title: 'Earthquake',
      description: 'M 5.1, 10 km deep.',
      attributes: { texts: [{ language: 'en', title: 'Earthquake', description: 'M 5.1, 10 km deep.' }, { language: 'zh', title: '地震', description: '' }] },
    };
    expect(incidentText(sparse, 'zh-CN')).toEqual({ title: '地震', description: 'M 5.1, 10 km deep.', language: 'zh' });
  });
});
