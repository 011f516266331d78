// Every string the hosted page shows, in Indonesian (the default) and English. `en` is typed against
// `id`, so a key missing from either language fails to compile. Placeholders look like {name}.
export type Locale = 'id' | 'en';
export const LOCALES: readonly Locale[] = ['id', 'en'];

const id = {
  pageTitle: 'Pembayaran',
  brand: 'Kasir',
  secured: 'Pembayaran aman melalui Kasir',
  languageNav: 'Bahasa',
  switchLanguage: 'English',
  sandboxBanner: 'Mode sandbox: ini pembayaran uji coba, tidak ada uang sungguhan yang berpindah.',
  sandboxTitle: 'Simulasi sandbox',
  simulateSuccess: 'Simulasikan pembayaran berhasil',
  simulateFailure: 'Simulasikan pembayaran gagal',
  simulateExpiry: 'Simulasikan kedaluwarsa',
  payTo: 'Pembayaran ke',
  totalToPay: 'Total pembayaran',
  orderSummary: 'Ringkasan pesanan',
  orderReference: 'No. pesanan',
  customer: 'Pelanggan',
  shippingFee: 'Ongkos kirim',
  total: 'Total',
  statementDescriptor: 'Tertera di mutasi rekening sebagai',
  chooseMethod: 'Pilih metode pembayaran',
  virtualAccount: 'Transfer Virtual Account',
  qris: 'QRIS',
  qrisHint: 'Scan dengan aplikasi m-banking atau e-wallet apa pun',
  noMethods: 'Belum ada metode pembayaran yang menerima jumlah ini. Silakan hubungi toko.',
  confirmMethodTitle: 'Metode pembayaran',
  confirmMethod: 'Bayar dengan {method}',
  payBefore: 'Bayar sebelum {time}',
  timeLeft: 'Sisa waktu',
  vaStepTitle: 'Transfer ke Virtual Account {bank}',
  bank: 'Bank',
  vaNumber: 'Nomor Virtual Account',
  vaName: 'Nama rekening tujuan',
  exactAmount: 'Jumlah yang harus dibayar',
  exactAmountNote: 'Transfer tepat sesuai jumlah ini agar pembayaran terdeteksi.',
  sameBankOnly: 'Nomor ini hanya dapat dibayar dari rekening {bank}.',
  copy: 'Salin',
  copyNumber: 'Salin nomor Virtual Account',
  copyAmount: 'Salin jumlah',
  copied: 'Tersalin',
  howToPay: 'Cara membayar',
  atm: 'ATM',
  mobileBanking: 'Mobile banking',
  internetBanking: 'Internet banking',
  qrStepTitle: 'Scan kode QRIS',
  qrAlt: 'Kode QRIS untuk pembayaran {amount}',
  qrSteps:
    'Buka aplikasi m-banking atau e-wallet Anda|Pilih menu Scan atau QRIS|Scan kode di atas, atau unggah gambar yang sudah diunduh|Pastikan jumlahnya {amount}, lalu konfirmasi',
  downloadQr: 'Unduh kode QR',
  waiting: 'Menunggu pembayaran',
  processing: 'Pembayaran sedang diproses',
  liveNote: 'Halaman ini akan berubah sendiri begitu pembayaran diterima.',
  checkStatus: 'Sudah bayar? Cek status',
  methodUnavailable: 'Metode pembayaran ini belum dapat ditampilkan di halaman ini.',
  paidTitle: 'Pembayaran berhasil',
  paidBody: 'Terima kasih! Pembayaran Anda sudah kami terima.',
  failedTitle: 'Pembayaran gagal',
  failedBody: 'Pembayaran Anda tidak berhasil. Silakan kembali ke toko untuk mencoba lagi.',
  cancelledTitle: 'Pembayaran dibatalkan',
  cancelledBody: 'Sesi pembayaran ini telah dibatalkan.',
  expiredTitle: 'Waktu pembayaran habis',
  expiredBody: 'Batas waktu pembayaran sudah lewat. Jangan melakukan transfer ke nomor ini lagi.',
  amountPaid: 'Jumlah dibayar',
  amount: 'Jumlah',
  backToShop: 'Kembali ke toko',
  redirectNote: 'Anda akan diarahkan kembali ke toko dalam {seconds} detik.',
  errorTitle: 'Halaman pembayaran tidak dapat dibuka',
  errorMissingToken: 'Tautan pembayaran tidak lengkap. Buka kembali tautan dari toko.',
  errorInvalidLink: 'Tautan pembayaran ini tidak valid atau sudah tidak berlaku. Silakan kembali ke toko dan coba lagi.',
  errorStateTitle: 'Pembayaran tidak dapat diubah',
  errorBusyTitle: 'Mohon tunggu sebentar',
  errorState: 'Status pembayaran ini sudah berubah, jadi permintaan Anda tidak dapat diproses.',
  errorExpired: 'Waktu pembayaran sudah habis.',
  errorRequest: 'Permintaan Anda tidak dapat diproses. Silakan coba lagi.',
  errorForbidden: 'Permintaan ditolak demi keamanan Anda. Muat ulang halaman pembayaran lalu coba lagi.',
  errorTooManyRequests: 'Terlalu banyak permintaan dalam waktu singkat. Tunggu sebentar lalu coba lagi.',
  errorServer: 'Terjadi gangguan di sisi kami. Silakan coba beberapa saat lagi.',
  backToPayment: 'Kembali ke halaman pembayaran',
};

export type MessageKey = keyof typeof id;

const en: Record<MessageKey, string> = {
  pageTitle: 'Payment',
  brand: 'Kasir',
  secured: 'Secure payment through Kasir',
  languageNav: 'Language',
  switchLanguage: 'Bahasa Indonesia',
  sandboxBanner: 'Sandbox mode: this is a test payment, no real money moves.',
  sandboxTitle: 'Sandbox simulation',
  simulateSuccess: 'Simulate a successful payment',
  simulateFailure: 'Simulate a failed payment',
  simulateExpiry: 'Simulate expiry',
  payTo: 'Paying',
  totalToPay: 'Total to pay',
  orderSummary: 'Order summary',
  orderReference: 'Order no.',
  customer: 'Customer',
  shippingFee: 'Shipping fee',
  total: 'Total',
  statementDescriptor: 'Shows on your statement as',
  chooseMethod: 'Choose a payment method',
  virtualAccount: 'Virtual account transfer',
  qris: 'QRIS',
  qrisHint: 'Scan with any mobile banking or e-wallet app',
  noMethods: 'No payment method accepts this amount yet. Please contact the shop.',
  confirmMethodTitle: 'Payment method',
  confirmMethod: 'Pay with {method}',
  payBefore: 'Pay before {time}',
  timeLeft: 'Time left',
  vaStepTitle: 'Transfer to a {bank} virtual account',
  bank: 'Bank',
  vaNumber: 'Virtual account number',
  vaName: 'Account name',
  exactAmount: 'Exact amount to pay',
  exactAmountNote: 'Transfer exactly this amount so the payment is recognised.',
  sameBankOnly: 'This number can only be paid from a {bank} account.',
  copy: 'Copy',
  copyNumber: 'Copy the virtual account number',
  copyAmount: 'Copy the amount',
  copied: 'Copied',
  howToPay: 'How to pay',
  atm: 'ATM',
  mobileBanking: 'Mobile banking',
  internetBanking: 'Internet banking',
  qrStepTitle: 'Scan the QRIS code',
  qrAlt: 'QRIS code to pay {amount}',
  qrSteps:
    'Open your mobile banking or e-wallet app|Choose Scan or QRIS|Scan the code above, or upload the downloaded image|Check that the amount is {amount}, then confirm',
  downloadQr: 'Download QR code',
  waiting: 'Waiting for payment',
  processing: 'Payment is being processed',
  liveNote: 'This page changes by itself as soon as the payment arrives.',
  checkStatus: 'Paid already? Check the status',
  methodUnavailable: 'This payment method cannot be shown on this page yet.',
  paidTitle: 'Payment successful',
  paidBody: 'Thank you! We have received your payment.',
  failedTitle: 'Payment failed',
  failedBody: 'Your payment did not go through. Please go back to the shop to try again.',
  cancelledTitle: 'Payment cancelled',
  cancelledBody: 'This payment session has been cancelled.',
  expiredTitle: 'Payment time is up',
  expiredBody: 'The time to pay has passed. Do not transfer to this number any more.',
  amountPaid: 'Amount paid',
  amount: 'Amount',
  backToShop: 'Back to the shop',
  redirectNote: 'You will be taken back to the shop in {seconds} seconds.',
  errorTitle: 'This payment page cannot be opened',
  errorMissingToken: 'The payment link is incomplete. Open the link from the shop again.',
  errorInvalidLink: 'This payment link is invalid or no longer valid. Please go back to the shop and try again.',
  errorStateTitle: 'This payment cannot be changed',
  errorBusyTitle: 'Please wait a moment',
  errorState: 'The status of this payment has changed, so your request could not be carried out.',
  errorExpired: 'The time to pay is up.',
  errorRequest: 'Your request could not be processed. Please try again.',
  errorForbidden: 'The request was refused for your safety. Reload the payment page and try again.',
  errorTooManyRequests: 'Too many requests in a short time. Wait a moment and try again.',
  errorServer: 'Something went wrong on our side. Please try again in a moment.',
  backToPayment: 'Back to the payment page',
};

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { id, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Plain text with {placeholders} filled; escaping happens where the text is put into HTML. */
export function translator(locale: Locale): Translate {
  const table = MESSAGES[locale];
  return (key, vars) =>
    vars ? table[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : table[key];
}

export function isLocale(value: unknown): value is Locale {
  return value === 'id' || value === 'en';
}

/** `?lang=` wins, then the browser's Accept-Language (by q-value), then Indonesian. */
export function pickLocale(queryLang: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(queryLang)) return queryLang;
  if (!acceptLanguage) return 'id';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { primary: tag.split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    if (entry.primary === 'id' || entry.primary === 'in') return 'id';
    if (entry.primary === 'en') return 'en';
  }
  return 'id';
}
