// The REST API's objects as the pages read them (API.md and api/openapi.yaml; field
// names are the contract's).
export type Role = 'admin' | 'radiologist' | 'facility' | 'ministry' | 'specialist';
export type Priority = 'stat' | 'urgent' | 'routine';
export type StudyStatus = 'receiving' | 'ready' | 'claimed' | 'reported' | 'cancelled';
export type ModalityClass = 'CT' | 'XRAY' | 'OTHER';

export interface Study {
  study_uid: string;
  status: StudyStatus;
  priority: Priority;
  modality_class: ModalityClass;
  modalities: string[];
  facility: { code: string; name: string; aimag: string };
  patient: { id: string; name: string; birth_date: string | null; sex: string };
  accession_number: string;
  study_date: string | null;
  description: string;
  num_series: number;
  num_instances: number;
  received_at: string;
  ready_at: string | null;
  sla_due_at: string | null;
  claimed_by: string | null;
  claim_expires_at: string | null;
  reported_at: string | null;
  viewer_url: string;
  clinical_info?: string;
  critical_pending?: boolean; // a facility's inbox: a critical finding not yet acknowledged
  report_status?: 'draft' | 'final' | null;
}

export interface Report {
  study_uid: string;
  status: 'draft' | 'final';
  version: number;
  findings: string;
  impression: string;
  icd_codes: string[];
  critical: boolean;
  critical_acknowledged_by: string | null;
  critical_acknowledged_at: string | null;
  author: string;
  signed_by: string | null;
  signed_at: string | null;
  addenda: Addendum[];
}

export interface DiagnosisCode {
  system: 'icd10' | 'icd11';
  code: string;
  title_mn: string;
  title_en: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface SessionAnswer {
  signed_in: boolean;
  username?: string;
  role?: Role;
}

export interface LoginAnswer {
  token: string;
  role: Role;
  expires_at: string;
}

// GET /studies/{uid}: the study with its series and clinical question.
export interface SeriesSummary {
  series_uid: string;
  modality: string;
  series_number: number | null;
  description: string;
  num_instances: number;
}

export interface StudyDetail extends Study {
  clinical_info: string;
  report_status: 'draft' | 'final' | null;
  series: SeriesSummary[];
}

export interface Addendum {
  text: string;
  author: string;
  created_at: string;
}

// One attribute of a DICOM JSON object (PS3.18 F.2.2).
export type DicomJson = Record<string, { vr: string; Value?: unknown[] }>;
