/** Reply categories in the product's words. */
export const CATEGORY_LABELS: Record<string, string> = {
  interested: "Interested",
  not_interested: "Not interested",
  out_of_office: "Out of office",
  referral: "Referral",
  unsubscribe: "Asked to stop",
  other: "Other",
};

export const CATEGORY_TONES: Record<string, string> = {
  interested: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  not_interested: "bg-slate-100 text-slate-700 ring-slate-200",
  out_of_office: "bg-amber-50 text-amber-900 ring-amber-200",
  referral: "bg-sky-50 text-sky-800 ring-sky-200",
  unsubscribe: "bg-red-50 text-red-800 ring-red-200",
  other: "bg-slate-50 text-slate-600 ring-slate-200",
};

export const LANGUAGE_LABELS: Record<string, string> = {
  en: "English",
  fr: "French",
  de: "German",
  es: "Spanish",
};

export const KIND_LABELS: Record<string, string> = {
  connect: "Invitation note",
  message: "Message",
  inmail: "InMail",
};
