// E-examinations: the facility books and follows, the specialist's queue: its words in Mongolian and English. Each area of the pages keeps its
// words in a file of its own; mn.ts joins them. tsc fails when a key is missing in English.
export const examsMn = {
  'nav.exams': 'Цахим үзлэг',
  'nav.queue': 'Үзлэгийн дараалал',
};
export const examsEn: Record<keyof typeof examsMn, string> = {
  'nav.exams': 'E-examinations',
  'nav.queue': 'Examination queue',
};
