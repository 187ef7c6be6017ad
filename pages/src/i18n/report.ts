// The radiologist's report editor on the study page: its words in Mongolian and English. Each area of the pages keeps its
// words in a file of its own; mn.ts joins them. tsc fails when a key is missing in English.
export const reportMn = {
};
export const reportEn: Record<keyof typeof reportMn, string> = {
};
