// Page arithmetic shared by every list (sessions, callbacks): Pivot's pagination object.
export interface PageRequest {
  page: number;
  perPage: number;
}

export function pagination({ page, perPage }: PageRequest, totalItems: number) {
  return { page, perPage, totalItems, totalPages: Math.ceil(totalItems / perPage) };
}
