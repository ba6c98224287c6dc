import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contentWords,
  followUpMarker,
  isFollowUp,
  joinWithTopic,
  namesOf,
  ownContentWords,
  ownThingWords,
  ownSubjectWords,
  stripMarkers,
  termCoverage,
  topicCoverage,
  topicOf,
  type FollowUpEvidence,
} from '../../src/answer/follow-up.js';

const idf = () => 1;

describe('followUpMarker', () => {
  it.each([
    ['còn lớp EB thì sao?', 'còn'],
    ['con lop buoi toi thi sao', 'còn'],
    ['What about EC?', 'what about'],
    ['which room is it in', 'it'],
    ['phòng đó ở đâu?', 'đó'],
  ])('%s → %s', (q, marker) => expect(followUpMarker(q)).toBe(marker));

  it.each([
    'lop buoi sang hoc may gio',
    'How much does the English course cost?',
    'mat khau manh la gi',
    'no hoc phi thi sao',
    'Thủ đô của Pháp là gì?',
    'Is there a library for evening learners?',
  ])('%s has none', (q) => {
    // Typed without marks, "no"/"do" are not "nó"/"đó"; "thi sao" still is a marker.
    expect(followUpMarker(q)).toBe(q.startsWith('no hoc') ? 'thì sao' : null);
  });
});

describe('topicOf and joinWithTopic', () => {
  it('carries the previous topic, with an alternative code replaced and the asking words inherited', () => {
    expect(topicOf('Lớp tiếng Anh EA học vào hôm nào?', 'lớp EB', idf).map((w) => w.text)).toEqual(['tiếng', 'Anh', 'học']);
    expect(joinWithTopic('Lớp tiếng Anh EA học vào hôm nào?', 'còn lớp EB thì sao?', idf)).toBe('tiếng Anh học lớp EB hom nao');
  });

  it('replaces a time of day, keeps the subject', () => {
    expect(joinWithTopic('Lịch học lớp tin học thế nào?', 'còn lớp buổi tối thì sao?', idf)).toBe('Lịch học tin lớp buổi tối');
    expect(joinWithTopic('lop buoi sang hoc may gio', 'còn lớp buổi tối thì sao?', idf)).toBe('hoc lớp buổi tối may gio');
  });

  it('drops the words that asked for another kind of fact', () => {
    expect(joinWithTopic('Số điện thoại phòng tư vấn', 'còn email thì sao?', idf)).toBe('phòng tư vấn email');
  });

  it('keeps the most salient words (highest IDF) when the previous question is long', () => {
    const rare = (t: string) => (['khiem', 'thi', 'man', 'hinh'].includes(t) ? 5 : 1);
    const topic = topicOf('Học viên khiếm thị dùng máy tính có phần mềm đọc màn hình ở phòng nào của thư viện?', 'còn', rare, 4);
    expect(topic.map((w) => w.text)).toEqual(['khiếm', 'thị', 'màn', 'hình']);
  });

  it("property: the topic is at most `max` of the previous question's content words, so searched text never compounds", () => {
    const vocabulary = [
      'học',
      'phí',
      'lớp',
      'buổi',
      'tối',
      'sáng',
      'thư',
      'viện',
      'EA',
      'EB',
      'phòng',
      'giờ',
      'mấy',
      'còn',
      'thì',
      'sao',
      'bao',
      'nhiêu',
      'tiếng',
      'Anh',
    ];
    const sentence = fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 30 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(sentence, sentence, fc.integer({ min: 1, max: 8 }), (previous, question, max) => {
        const topic = topicOf(previous, question, idf, max);
        const allowed = new Set(contentWords(previous).map((w) => w.folded));
        expect(topic.length).toBeLessThanOrEqual(max);
        for (const w of topic) expect(allowed.has(w.folded)).toBe(true);
        const joined = joinWithTopic(previous, question, idf).split(' ').length;
        expect(joined).toBeLessThanOrEqual(6 + stripMarkers(question).split(' ').length + 3);
      }),
    );
  });
});

describe('ownSubjectWords', () => {
  it('finds the names and codes the previous turn did not have', () => {
    expect(ownSubjectWords('Thủ đô của Pháp là gì?', 'Học phí một tháng bao nhiêu?')).toEqual(['Pháp']);
    expect(ownSubjectWords('còn lớp EB thì sao?', 'Lớp EA học hôm nào?')).toEqual(['EB']);
    expect(ownSubjectWords('lop buoi sang hoc may gio', 'Học phí một tháng?')).toEqual([]);
  });

  it('takes a year or a school year the previous turn did not have for a subject of its own', () => {
    expect(ownSubjectWords('Lịch khai giảng năm học 2030-2031 thế nào?', 'Khai giảng năm học vào ngày nào?')).toEqual(['2030-2031']);
    expect(ownSubjectWords('nghi Tet nam 2031 tu ngay nao', 'Nghỉ Tết Nguyên đán từ ngày nào?')).toEqual(['2031']);
    // The same year is the same subject; a small number is no year.
    expect(ownSubjectWords('năm 2027 nghỉ mấy ngày?', 'Giỗ Tổ Hùng Vương năm 2027 nghỉ ngày nào?')).toEqual([]);
    expect(ownSubjectWords('còn lớp 10 thì sao?', 'Lớp 12 học ở đâu?')).toEqual([]);
  });
});

describe('isFollowUp', () => {
  const base: FollowUpEvidence = {
    marker: false,
    contentWords: 3,
    genericOnly: false,
    namesOwnSubject: false,
    alone: 0.7,
    joined: 0.6,
    threshold: 0.4,
  };
  it.each([
    ['a marker', { marker: true }, true],
    ['no content word ("Mấy giờ?")', { contentWords: 0 }, true],
    ['a question answered alone, joining does not help ("lop buoi sang hoc may gio")', {}, false],
    ['only answerable with the topic', { alone: 0.3, joined: 0.5 }, true],
    ['not answerable either way', { alone: 0.3, joined: 0.35 }, false],
    ['only common words ("học ở phòng nào?")', { genericOnly: true }, true],
    ['naming its own subject ("Thủ đô của Pháp là gì?")', { namesOwnSubject: true, alone: 0.3, joined: 0.6 }, false],
    ['joining retrieves clearly better', { joined: 0.8 }, true],
    [
      'the joined search finds topic and question in one sentence ("có bao nhiêu chỗ ngồi?" after "Hội trường ở đâu?")',
      { coverage: { gain: 0.42, ownKept: 1 } },
      true,
    ],
    [
      'the topic gain came with the loss of its own words ("thu thu thu vien la ai" after a battle)',
      { coverage: { gain: 0.79, ownKept: 0.64 } },
      false,
    ],
    ['a small topic gain ("lop buoi sang hoc may gio" after a fee)', { coverage: { gain: 0.17, ownKept: 1 } }, false],
    [
      'a topic gain while joining loses most of the answerability ("nop hoc phi o dau" after class EB: 0.78 alone, 0.41 joined)',
      { alone: 0.78, joined: 0.41, coverage: { gain: 0.42, ownKept: 1 } },
      false,
    ],
  ] as const)('%s → %s', (_, patch, expected) => {
    expect(isFollowUp({ ...base, ...patch })).toBe(expected);
  });

  it('property: a marker always follows up; without one, a question naming its own subject never does', () => {
    const evidence = fc.record({
      marker: fc.boolean(),
      contentWords: fc.integer({ min: 0, max: 10 }),
      genericOnly: fc.boolean(),
      namesOwnSubject: fc.boolean(),
      alone: fc.double({ min: 0, max: 1, noNaN: true }),
      joined: fc.double({ min: 0, max: 1, noNaN: true }),
      threshold: fc.constant(0.4),
    });
    fc.assert(
      fc.property(evidence, (e) => {
        if (e.marker) expect(isFollowUp(e)).toBe(true);
        else if (e.namesOwnSubject && e.contentWords > 0) expect(isFollowUp(e)).toBe(false);
        else if (e.contentWords > 0 && e.joined < e.threshold) expect(isFollowUp(e)).toBe(false);
      }),
    );
  });
});

describe('topicOf with numbers', () => {
  it('a number replaces a number of the same thing only', () => {
    expect(joinWithTopic('Nộp hồ sơ nhập học lớp 10 ở đâu?', 'hạn nộp đợt 1 là khi nào?', idf)).toContain('lớp 10');
    expect(joinWithTopic('Thi chứng chỉ CNTT đợt 1 vào ngày nào?', 'còn đợt 2?', idf)).not.toMatch(/\b1\b/);
    expect(joinWithTopic('Lớp 10 buổi tối học phòng nào?', 'còn lớp 11?', idf)).not.toContain('10');
  });
});

describe('ownContentWords', () => {
  it('leaves out the words that only name the fact asked for a phone, an e-mail, a place', () => {
    expect(ownContentWords('số điện thoại?')).toEqual([]);
    expect(ownContentWords('email?')).toEqual([]);
    expect(ownContentWords('so dien thoai tuyen sinh').map((w) => w.folded)).toEqual(['tuyen', 'sinh']);
    expect(ownContentWords('Số điện thoại thư viện là gì?').map((w) => w.folded)).toEqual(['thu', 'vien']);
  });

  it('keeps every content word of other questions', () => {
    expect(ownContentWords('có bao nhiêu chỗ ngồi?').map((w) => w.folded)).toEqual(
      contentWords('có bao nhiêu chỗ ngồi?').map((w) => w.folded),
    );
  });
});

describe('termCoverage and topicCoverage', () => {
  const contacts = {
    heading: 'Danh bạ liên hệ',
    text: '5. Thư viện (nhà C): 0263 3 812 583 – thuvien@gdtxhoaan.edu.vn.\n7. Phòng Tư vấn học đường (phòng C104): 0978 214 630 – tuvan@gdtxhoaan.edu.vn.',
  };
  const hall = { heading: 'Cơ sở vật chất', text: 'Tầng 3 có phòng học A303 và Hội trường A305 với 200 chỗ ngồi.' };
  const library = { heading: 'Giới thiệu thư viện', text: 'Thư viện gồm phòng đọc C101 với 60 chỗ ngồi.' };

  it('counts the words one sentence holds with its heading, weighted by IDF', () => {
    expect(termCoverage(['Hội trường', 'chỗ ngồi'], [hall], idf)).toBe(1);
    expect(termCoverage(['Hội trường', 'chỗ ngồi'], [library], idf)).toBe(0.5);
    // Two lines of a contact list are two sentences: the library and the counselling room are not together.
    expect(termCoverage(['thư viện', 'tư vấn'], [contacts], idf)).toBe(0.5);
    expect(termCoverage([], [hall], idf)).toBe(0);
  });

  it('reads the heading with every sentence of its passage', () => {
    expect(termCoverage(['Giới thiệu', 'phòng đọc'], [library], idf)).toBe(1);
  });

  it('a follow-up whose joined search finds topic and question together gains; one that finds them apart does not', () => {
    const seats = topicCoverage(['Hội trường'], ['chỗ', 'ngồi'], [library], [hall], idf);
    expect(seats.gain).toBeCloseTo(0.5); // hội, trường, chỗ, ngồi in the hall's sentence; chỗ, ngồi in the library's
    expect(seats.ownKept).toBe(1);
    const email = topicCoverage(['tư', 'vấn'], ['email', 'thư', 'viện'], [library], [contacts], idf);
    expect(email.gain).toBeLessThan(0.2);
  });

  it('property: coverage is a share, and the same passages gain nothing', () => {
    const word = fc.constantFrom('thư', 'viện', 'hội', 'trường', 'chỗ', 'ngồi', 'phòng', 'email', 'tư', 'vấn', 'lạ');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), fc.array(word, { maxLength: 5 }), (topic, own) => {
        const c = termCoverage([...topic, ...own], [contacts, hall, library], idf);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        expect(topicCoverage(topic, own, [hall], [hall], idf).gain).toBe(0);
      }),
    );
  });
});

describe('a question that names no thing of its own (missing slot)', () => {
  it.each([
    ['mấy giờ đóng cửa?', []],
    ['may gio dong cua', []],
    ['có mất tiền không?', []],
    ['đọc ở đâu?', []],
    ['trưởng phòng là ai?', []],
    ['hoạt động mấy giờ?', []],
    ['gia hạn được không?', ['gia']], // with marks, "gia" (of "gia hạn") is not "giá" (a price)
    ['nop hoc phi o dau', ['hoc', 'phi']], // asking where, "học phí" is the thing, not what is asked
    ['lop buoi sang hoc may gio', ['lop', 'sang']],
    ['Giám đốc trung tâm là ai?', ['giam', 'doc', 'trung', 'tam']],
  ] as const)('%s names %j', (question, things) => {
    expect(ownThingWords(question).map((w) => w.folded)).toEqual(things);
  });

  it('a Vietnamese question typed without marks keeps "the" (thẻ) and "to" (tổ) as words', () => {
    expect(contentWords('lam lai the hoc vien mat bao nhieu tien').map((w) => w.folded)).toContain('vien');
    expect(ownThingWords('lam lai the hoc vien mat bao nhieu tien').length).toBeGreaterThan(0);
  });
});

describe('clarifications are follow-ups', () => {
  it.each([
    ['ý tôi là lớp buổi tối', 'ý tôi là'],
    ['y minh la khoa nang cao', 'ý mình là'],
    ['I mean the weekend group', 'i mean'],
  ])('%s → %s', (q, marker) => expect(followUpMarker(q)).toBe(marker));

  it('a clarification replaces the alternative it names', () => {
    const joined = joinWithTopic('Lớp 10 học ở phòng nào?', 'ý tôi là lớp buổi tối', idf);
    expect(joined).toContain('buổi tối');
    expect(joined).toContain('10');
    expect(joined).not.toMatch(/ý tôi/);
  });
});

describe('the carried topic is the thing, not what was asked about it', () => {
  it('drops the previous attribute words when the follow-up asks something of its own', () => {
    const joined = joinWithTopic('Phòng tài liệu số máy tính mỗi lượt được dùng bao lâu', 'in tài liệu ở đó có mất tiền không?', idf);
    expect(joined).toContain('Phòng');
    expect(joined).toContain('máy tính');
    expect(joined).not.toContain('lượt');
    expect(joined).not.toMatch(/bao lau/); // "có mất tiền không" asks for money: nothing is inherited
  });

  it('keeps them when the previous question names no thing either ("nop hoc phi o dau")', () => {
    expect(joinWithTopic('nop hoc phi o dau', 'mo cua may gio', idf)).toBe('nop hoc phi mo cua may gio');
  });

  it('a new name replaces the old ones', () => {
    const hue = joinWithTopic('Khởi nghĩa giành chính quyền thắng lợi ở Hà Nội vào ngày nào?', 'còn ở Huế?', idf);
    expect(hue).toContain('Huế');
    expect(hue).not.toMatch(/Hà|Nội/);
    expect(namesOf('Sài Gòn thì sao?')).toEqual(['sai', 'gon']);
    expect(namesOf('còn thứ Bảy?')).toEqual([]); // a weekday replaces a weekday by its own group
    expect(namesOf('còn lớp EB thì sao?')).toEqual([]); // a code likewise
  });

  it('with marks, "đọc" and "Độc" are two words', () => {
    expect(joinWithTopic('Ai đọc Tuyên ngôn Độc lập?', 'đọc ở đâu?', idf)).toBe('Tuyên ngôn Độc lập đọc ở đâu');
  });
});

describe('isFollowUp: the margin rule', () => {
  it('a better answerability bought without the question\'s own words is no follow-up ("lam lai the hoc vien…" after the 1946 election)', () => {
    const e: FollowUpEvidence = {
      marker: false,
      contentWords: 2,
      genericOnly: false,
      namesOwnSubject: false,
      alone: 0.516,
      joined: 0.599,
      threshold: 0.38,
      coverage: { gain: 0.39, ownKept: 0.73 },
    };
    expect(isFollowUp(e)).toBe(false);
    expect(isFollowUp({ ...e, coverage: { gain: 0.1, ownKept: 0.9 } })).toBe(true);
  });
});

describe('spellOutAbbreviations', () => {
  it('writes a learner\'s "sdt" as the materials write it, when joining a follow-up', () => {
    expect(joinWithTopic('to cong nghe thong tin o phong nao', 'sdt?', idf)).toBe('cong nghe thong tin so dien thoai');
    expect(joinWithTopic('Thư viện ở đâu?', 'còn sđt?', idf)).toBe('Thư viện số điện thoại');
  });
});
