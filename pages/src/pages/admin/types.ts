// The registry's objects as the admin pages read them (API.md "Other objects" and
// api/openapi.yaml; field names are the contract's).
import type { ModalityClass, Role } from '../../api/types';

export interface ReturnDicom {
  host: string;
  port: number;
  ae_title: string;
}

export interface Facility {
  code: string;
  name: string;
  aimag: string;
  soum: string;
  ae_title: string;
  active: boolean;
  return_dicom: ReturnDicom | null;
  allowed_networks?: string[];
  version: number; // for If-Match: an edit applies only to the version it was made to
}

export interface MachineToken {
  id: number;
  facility_code: string;
  name: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked: boolean;
  token?: string; // only in the creation's answer
}

export interface UserAccount {
  username: string;
  role: Role;
  facility_code: string | null;
  active: boolean;
  demo?: boolean;
  created_at?: string;
}

export interface AuditEntry {
  at: string;
  username: string;
  role: string;
  action: string;
  object_type: string;
  object_id: string;
  remote_addr: string;
  outcome: string;
  detail?: string;
}

export interface KpiTarget {
  indicator: string;
  period: string;
  baseline: number | null;
  target: number | null;
  updated_by?: string;
  updated_at?: string;
}

export interface ReportTemplate {
  id: number;
  name: string;
  language: 'mn' | 'en';
  modality_class: ModalityClass | null;
  body_part: string | null;
  findings: string;
  impression: string;
  active: boolean;
  version: number;
  updated_at?: string;
  updated_by?: string;
}

export const roles: Role[] = ['admin', 'radiologist', 'facility', 'ministry', 'specialist'];

// The KPI report's indicators (openapi.yaml KpiReportRow.indicator).
export const indicators = [
  'image_diagnoses',
  'image_diagnoses_ct',
  'image_diagnoses_xray',
  'image_diagnoses_other',
  'studies_received',
  'telemedicine_facilities',
  'e_examinations',
  'online_hospital_facilities',
  'turnaround_median_hours',
  'sla_breach_percent',
];
