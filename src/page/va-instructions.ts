// Hosted-page copy: per-bank "how to pay this virtual account" steps (ATM, mobile, internet banking) in id/en.
//
// Menu labels are quoted as the bank shows them (usually Indonesian); English steps keep the on-screen
// label and add a gloss in brackets. Banks rename menus often: treat every path as "last seen".
// Placeholders: {vaNumber} and {amount} (already formatted by the page, e.g. "Rp150.000").
import { VA_CHANNELS, type VaChannel } from '../domain/payment-methods.ts';

export type { VaChannel };
export type Locale = 'id' | 'en';

export interface BankGuide {
  name: string;
  atm: Record<Locale, string[]>;
  mobile: Record<Locale, string[]>;
  internet: Record<Locale, string[]>;
  acceptsInterbank: boolean;
}

export { VA_CHANNELS };

/** Shown under the steps for banks whose VAs can be paid from other banks. */
export const INTERBANK_NOTE: Record<Locale, string> = {
  id:
    'Bayar dari bank lain? Gunakan transfer online (ATM Bersama, PRIMA, atau ALTO) ke nomor VA ini. ' +
    'Jangan gunakan BI-FAST, SKN, atau RTGS karena dana bisa dikembalikan.',
  en:
    'Paying from another bank? Use an online transfer (ATM Bersama, PRIMA or ALTO) to this VA number. ' +
    'Do not use BI-FAST, SKN or RTGS: the payment may be returned.',
};

export const VA_GUIDES: Record<VaChannel, BankGuide> = {
  BCA: {
    name: 'BCA',
    acceptsInterbank: false, // BCA VAs can only be paid from BCA accounts.
    atm: {
      id: [
        'Masukkan kartu ATM BCA dan PIN Anda.',
        'Pilih Transaksi Lainnya > Transfer.',
        'Pilih Ke Rek BCA Virtual Account.',
        'Masukkan {vaNumber}, lalu tekan Benar.',
        'Cek nama penerima dan total tagihan {amount}.',
        'Tekan Ya untuk membayar, lalu simpan struk.',
      ],
      en: [
        'Insert your BCA card and enter your PIN.',
        'Choose Transaksi Lainnya (Other transactions) > Transfer.',
        'Choose Ke Rek BCA Virtual Account.',
        'Enter {vaNumber}, then press Benar (Correct).',
        'Check the payee name and the total of {amount}.',
        'Press Ya (Yes) to pay and keep the receipt.',
      ],
    },
    mobile: {
      id: [
        'Buka BCA mobile, pilih m-BCA, lalu masukkan kode akses.',
        'Pilih m-Transfer > BCA Virtual Account.',
        'Masukkan nomor VA {vaNumber}, lalu lanjutkan.',
        'Cek nama penerima dan jumlah {amount}.',
        'Masukkan PIN m-BCA untuk membayar.',
      ],
      en: [
        'Open BCA mobile, choose m-BCA and enter your access code.',
        'Choose m-Transfer > BCA Virtual Account.',
        'Enter VA number {vaNumber} and continue.',
        'Check the payee name and the amount of {amount}.',
        'Enter your m-BCA PIN to pay.',
      ],
    },
    internet: {
      id: [
        'Masuk ke KlikBCA Individu (klikbca.com).',
        'Pilih Transfer Dana > Transfer ke BCA Virtual Account.',
        'Masukkan nomor VA {vaNumber}, lalu lanjutkan.',
        'Cek nama penerima dan jumlah {amount}.',
        'Isi respons KeyBCA (APPLI 1), lalu kirim.',
      ],
      en: [
        'Log in to KlikBCA Individu (klikbca.com).',
        'Choose Transfer Dana (Fund transfer) > Transfer ke BCA Virtual Account.',
        'Enter VA number {vaNumber} and continue.',
        'Check the payee name and the amount of {amount}.',
        'Enter the KeyBCA response (APPLI 1) and submit.',
      ],
    },
  },

  BRI: {
    name: 'BRI',
    acceptsInterbank: true,
    atm: {
      id: [
        'Masukkan kartu ATM BRI dan PIN Anda.',
        'Pilih Transaksi Lain > Pembayaran > Lainnya.',
        'Pilih BRIVA.',
        'Masukkan nomor BRIVA {vaNumber}, lalu tekan Benar.',
        'Cek nama dan jumlah {amount}, lalu tekan Ya.',
        'Simpan struk sebagai bukti bayar.',
      ],
      en: [
        'Insert your BRI card and enter your PIN.',
        'Choose Transaksi Lain (Other transactions) > Pembayaran (Payment) > Lainnya (Others).',
        'Choose BRIVA.',
        'Enter BRIVA number {vaNumber}, then press Benar (Correct).',
        'Check the name and the amount of {amount}, then press Ya (Yes).',
        'Keep the receipt as proof of payment.',
      ],
    },
    mobile: {
      id: [
        'Buka BRImo dan masuk ke akun Anda.',
        'Pilih Pembayaran > BRIVA.',
        'Masukkan nomor BRIVA {vaNumber}.',
        'Cek nama dan jumlah {amount}; isi jumlah jika diminta.',
        'Masukkan PIN BRImo untuk membayar.',
      ],
      en: [
        'Open BRImo and log in.',
        'Choose Pembayaran (Payment) > BRIVA.',
        'Enter BRIVA number {vaNumber}.',
        'Check the name and the amount of {amount}; type it if asked.',
        'Enter your BRImo PIN to pay.',
      ],
    },
    internet: {
      id: [
        'Masuk ke Internet Banking BRI (ib.bri.co.id).',
        'Pilih Pembayaran Tagihan > Pembayaran > BRIVA.',
        'Masukkan {vaNumber} sebagai kode bayar.',
        'Cek nomor, nama, dan jumlah {amount}.',
        'Masukkan password dan kode mToken, lalu kirim.',
      ],
      en: [
        'Log in to BRI Internet Banking (ib.bri.co.id).',
        'Choose Pembayaran Tagihan (Bill payment) > Pembayaran > BRIVA.',
        'Enter {vaNumber} as the payment code.',
        'Check the number, name and the amount of {amount}.',
        'Enter your password and mToken code, then submit.',
      ],
    },
  },

  MANDIRI: {
    name: 'Bank Mandiri',
    // Biller-code model; aggregators' Mandiri bill VAs are usually payable only from Mandiri.
    acceptsInterbank: false,
    // ATM and internet banking: the company (biller) code is assumed to be the first 5 digits of the
    // VA (true for Xendit's 88608 range, not for Midtrans' separate 70012 biller code + bill key).
    atm: {
      id: [
        'Masukkan kartu ATM Mandiri dan PIN Anda.',
        'Pilih Bayar/Beli > Lainnya > Multi Payment.',
        'Masukkan kode perusahaan (5 digit awal nomor VA), lalu Benar.',
        'Masukkan nomor VA {vaNumber}, lalu tekan Benar.',
        'Cek tagihan {amount}, pilih nomor 1, lalu tekan Ya.',
        'Simpan struk sebagai bukti bayar.',
      ],
      en: [
        'Insert your Mandiri card and enter your PIN.',
        'Choose Bayar/Beli (Pay/Buy) > Lainnya (Others) > Multi Payment.',
        'Enter the company code (first 5 digits of the VA), then Benar.',
        'Enter VA number {vaNumber}, then press Benar (Correct).',
        'Check the bill of {amount}, select item 1, then press Ya (Yes).',
        'Keep the receipt as proof of payment.',
      ],
    },
    // Livin' flow from Mandiri's own English guide; the Indonesian label "Bayar/VA" is our rendering.
    mobile: {
      id: [
        "Buka Livin' by Mandiri dan masuk ke akun Anda.",
        'Pilih Bayar/VA di beranda.',
        'Ketik {vaNumber} di kolom pencarian.',
        'Pilih penyedia jasa yang sesuai dan rekening sumber dana.',
        'Cek jumlah {amount}, lalu pilih Lanjut > Lanjut Bayar.',
        "Masukkan PIN Livin' untuk membayar.",
      ],
      en: [
        "Open Livin' by Mandiri and log in.",
        'Tap Pay/VA on the home screen.',
        'Type {vaNumber} in the search box.',
        'Pick the matching service provider and your source account.',
        'Check the amount of {amount}, then tap Continue > Continue Pay.',
        "Enter your Livin' PIN to pay.",
      ],
    },
    internet: {
      id: [
        'Masuk ke internet banking Mandiri.',
        'Pilih Pembayaran > Multi Payment.',
        'Pilih penyedia jasa sesuai 5 digit awal nomor VA.',
        'Masukkan nomor VA {vaNumber} dan jumlah {amount}.',
        'Konfirmasi dengan OTP atau challenge code.',
      ],
      en: [
        'Log in to Mandiri internet banking.',
        'Choose Pembayaran (Payment) > Multi Payment.',
        'Pick the service provider matching the first 5 digits of the VA.',
        'Enter VA number {vaNumber} and the amount {amount}.',
        'Confirm with the OTP or challenge code.',
      ],
    },
  },

  BNI: {
    name: 'BNI',
    acceptsInterbank: true,
    atm: {
      id: [
        'Masukkan kartu ATM BNI dan PIN Anda.',
        'Pilih Menu Lainnya > Transfer.',
        'Pilih rekening asal, mis. Dari Rekening Tabungan.',
        'Pilih Virtual Account Billing, lalu masukkan {vaNumber}.',
        'Cek tagihan yang tampil: {amount}.',
        'Konfirmasi pembayaran dan simpan struk.',
      ],
      en: [
        'Insert your BNI card and enter your PIN.',
        'Choose Menu Lainnya (Other menu) > Transfer.',
        'Pick the source account, e.g. Dari Rekening Tabungan (savings).',
        'Choose Virtual Account Billing, then enter {vaNumber}.',
        'Check the bill shown: {amount}.',
        'Confirm the payment and keep the receipt.',
      ],
    },
    // BNI Mobile Banking; the newer wondr by BNI app's menu path is not documented in our notes.
    mobile: {
      id: [
        'Buka BNI Mobile Banking dan masuk ke akun Anda.',
        'Pilih Transfer > Virtual Account Billing.',
        'Pilih rekening debet, lalu pilih Input Baru.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek tagihan {amount}, lalu konfirmasi.',
        'Masukkan Password Transaksi.',
      ],
      en: [
        'Open BNI Mobile Banking and log in.',
        'Choose Transfer > Virtual Account Billing.',
        'Pick the debit account, then choose Input Baru (New input).',
        'Enter VA number {vaNumber}.',
        'Check the bill of {amount}, then confirm.',
        'Enter your transaction password.',
      ],
    },
    internet: {
      id: [
        'Masuk ke BNI Internet Banking (ibank.bni.co.id).',
        'Pilih Transfer > Virtual Account Billing.',
        'Masukkan {vaNumber}, pilih rekening debet, lalu Lanjut.',
        'Cek tagihan {amount}.',
        'Masukkan kode otentikasi token, lalu kirim.',
      ],
      en: [
        'Log in to BNI Internet Banking (ibank.bni.co.id).',
        'Choose Transfer > Virtual Account Billing.',
        'Enter {vaNumber}, pick the debit account, then Lanjut (Next).',
        'Check the bill of {amount}.',
        'Enter the token authentication code and submit.',
      ],
    },
  },

  BSI: {
    name: 'BSI (Bank Syariah Indonesia)',
    acceptsInterbank: true,
    // The ATM wants the full VA; the app (at least for Xendit ranges) wants it without the 4-digit
    // institution code. "Institusi" is our Indonesian rendering of the English "Institution" label.
    atm: {
      id: [
        'Masukkan kartu ATM BSI dan PIN Anda.',
        'Pilih Pembayaran/Pembelian > Institusi.',
        'Masukkan nomor VA lengkap {vaNumber}.',
        'Cek nama dan jumlah {amount}.',
        'Konfirmasi pembayaran dan simpan struk.',
      ],
      en: [
        'Insert your BSI card and enter your PIN.',
        'Choose Pembayaran/Pembelian (Payment/Purchase) > Institution.',
        'Enter the full VA number {vaNumber}.',
        'Check the name and the amount of {amount}.',
        'Confirm the payment and keep the receipt.',
      ],
    },
    mobile: {
      id: [
        'Buka BYOND by BSI dan masuk ke akun Anda.',
        'Pilih Bayar & Beli, lalu cari nama institusi penagih.',
        'Pilih institusi yang kodenya 4 digit awal {vaNumber}.',
        'Masukkan sisa nomor VA (tanpa 4 digit awal).',
        'Cek jumlah {amount}, lalu masukkan PIN.',
      ],
      en: [
        'Open BYOND by BSI and log in.',
        'Choose Bayar & Beli (Pay & Buy) and search for the biller.',
        'Pick the institution whose code is the first 4 digits of {vaNumber}.',
        'Enter the rest of the VA number (without the first 4 digits).',
        'Check the amount of {amount}, then enter your PIN.',
      ],
    },
    internet: {
      id: [
        'Masuk ke BSI Net (bsinet.bankbsi.co.id).',
        'Pilih Pembayaran > Institusi, lalu rekening sumber.',
        'Pilih nama institusi penagih.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek jumlah {amount}, lalu konfirmasi dengan token.',
      ],
      en: [
        'Log in to BSI Net (bsinet.bankbsi.co.id).',
        'Choose Payment > Institution, then the source account.',
        'Pick the name of the billing institution.',
        'Enter VA number {vaNumber}.',
        'Check the amount of {amount}, then confirm with your token.',
      ],
    },
  },

  CIMB: {
    name: 'CIMB Niaga',
    acceptsInterbank: true,
    atm: {
      id: [
        'Masukkan kartu ATM CIMB Niaga dan PIN Anda.',
        'Pilih Pembayaran Tagihan > Virtual Account.',
        'Masukkan nomor VA {vaNumber}, lalu lanjutkan.',
        'Cek nama dan jumlah {amount}, lalu konfirmasi.',
      ],
      en: [
        'Insert your CIMB Niaga card and enter your PIN.',
        'Choose Pembayaran Tagihan (Bill payment) > Virtual Account.',
        'Enter VA number {vaNumber} and continue.',
        'Check the name and the amount of {amount}, then confirm.',
      ],
    },
    // OCTO Mobile pays a VA as a transfer to another CIMB Niaga account; the Indonesian label
    // is our rendering of the English one.
    mobile: {
      id: [
        'Buka OCTO Mobile dan masuk ke akun Anda.',
        'Pilih Transfer > ke rekening CIMB Niaga lain.',
        'Pilih sumber dana (CASA atau Rekening Ponsel).',
        'Masukkan {vaNumber} sebagai rekening tujuan.',
        'Isi jumlah {amount} jika diminta, lalu cek.',
        'Masukkan PIN untuk membayar.',
      ],
      en: [
        'Open OCTO Mobile and log in.',
        'Choose Transfer > to another CIMB Niaga account.',
        'Pick the source (CASA or Rekening Ponsel).',
        'Enter {vaNumber} as the destination account.',
        'Type the amount {amount} if asked, then check it.',
        'Enter your PIN to pay.',
      ],
    },
    internet: {
      id: [
        'Masuk ke OCTO Clicks.',
        'Pilih Pembayaran Tagihan > Mobile Virtual Account.',
        'Masukkan nomor VA {vaNumber}, lalu Lanjut.',
        'Cek jumlah {amount}.',
        'Pilih Kirim OTP, lalu masukkan kode OTP.',
      ],
      en: [
        'Log in to OCTO Clicks.',
        'Choose Pembayaran Tagihan (Bill payment) > Mobile Virtual Account.',
        'Enter VA number {vaNumber}, then Lanjut (Next).',
        'Check the amount of {amount}.',
        'Tap Kirim OTP (Send OTP) and enter the code.',
      ],
    },
  },

  PERMATA: {
    name: 'PermataBank',
    acceptsInterbank: true,
    atm: {
      id: [
        'Masukkan kartu ATM Permata dan PIN Anda.',
        'Pilih Transaksi Lainnya > Pembayaran > Pembayaran Lainnya.',
        'Pilih Virtual Account, lalu masukkan {vaNumber}.',
        'Pilih rekening debet.',
        'Cek jumlah {amount}, lalu konfirmasi.',
      ],
      en: [
        'Insert your Permata card and enter your PIN.',
        'Choose Transaksi Lainnya (Other transactions) > Pembayaran > Pembayaran Lainnya.',
        'Choose Virtual Account, then enter {vaNumber}.',
        'Pick the debit account.',
        'Check the amount of {amount}, then confirm.',
      ],
    },
    mobile: {
      id: [
        'Buka PermataMobile X dan masuk ke akun Anda.',
        'Pilih Pembayaran Tagihan > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek rincian dan jumlah {amount}, pilih rekening sumber.',
        'Konfirmasi dengan kode respons atau token.',
      ],
      en: [
        'Open PermataMobile X and log in.',
        'Choose Pembayaran Tagihan (Pay bills) > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the details and the amount of {amount}; pick the source account.',
        'Confirm with the response code or token.',
      ],
    },
    internet: {
      id: [
        'Masuk ke PermataNet (permatanet.com).',
        'Pilih Pembayaran Tagihan > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek jumlah {amount}, lalu konfirmasi.',
        'Masukkan kode respons dari token SMS.',
      ],
      en: [
        'Log in to PermataNet (permatanet.com).',
        'Choose Pembayaran Tagihan (Bill payment) > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the amount of {amount}, then confirm.',
        'Enter the response code from the SMS token.',
      ],
    },
  },

  // GENERIC: no readable source gives BNC's menu paths; these are sensible defaults
  // (Transfer > Virtual Account). Replace with the acquirer's copy when available.
  BNC: {
    name: 'Bank Neo Commerce',
    acceptsInterbank: true,
    atm: {
      id: [
        'Masukkan kartu ATM dan PIN Anda.',
        'Pilih Transfer > Virtual Account atau transfer antarbank.',
        'Jika diminta bank tujuan, pilih Bank Neo Commerce (490).',
        'Masukkan nomor VA {vaNumber}.',
        'Cek nama dan jumlah {amount}, lalu konfirmasi.',
      ],
      en: [
        'Insert your ATM card and enter your PIN.',
        'Choose Transfer > Virtual Account or interbank transfer.',
        'If asked for the bank, choose Bank Neo Commerce (490).',
        'Enter VA number {vaNumber}.',
        'Check the name and the amount of {amount}, then confirm.',
      ],
    },
    mobile: {
      id: [
        'Buka aplikasi neobank dan masuk ke akun Anda.',
        'Pilih Transfer > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek nama penerima dan jumlah {amount}.',
        'Konfirmasi dengan PIN.',
      ],
      en: [
        'Open the neobank app and log in.',
        'Choose Transfer > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the payee name and the amount of {amount}.',
        'Confirm with your PIN.',
      ],
    },
    internet: {
      id: [
        'Masuk ke internet banking Anda.',
        'Pilih Transfer > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek nama penerima dan jumlah {amount}.',
        'Konfirmasi dengan PIN atau token.',
      ],
      en: [
        'Log in to your internet banking.',
        'Choose Transfer > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the payee name and the amount of {amount}.',
        'Confirm with your PIN or token.',
      ],
    },
  },

  // GENERIC: Danamon's ATM and D-Bank PRO menu paths are not in our sources; these are sensible
  // defaults (Pembayaran > Virtual Account). D-Bank PRO is both the app and dbank.co.id.
  DANAMON: {
    name: 'Bank Danamon',
    acceptsInterbank: true,
    atm: {
      id: [
        'Masukkan kartu ATM Danamon dan PIN Anda.',
        'Pilih Pembayaran > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek nama dan jumlah {amount}, lalu konfirmasi.',
        'Simpan struk sebagai bukti bayar.',
      ],
      en: [
        'Insert your Danamon card and enter your PIN.',
        'Choose Pembayaran (Payment) > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the name and the amount of {amount}, then confirm.',
        'Keep the receipt as proof of payment.',
      ],
    },
    mobile: {
      id: [
        'Buka D-Bank PRO dan masuk ke akun Anda.',
        'Pilih Pembayaran > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek nama dan jumlah {amount}.',
        'Konfirmasi dengan PIN atau OTP.',
      ],
      en: [
        'Open D-Bank PRO and log in.',
        'Choose Pembayaran (Payment) > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the name and the amount of {amount}.',
        'Confirm with your PIN or OTP.',
      ],
    },
    internet: {
      id: [
        'Masuk ke D-Bank PRO di dbank.co.id.',
        'Pilih Pembayaran > Virtual Account.',
        'Masukkan nomor VA {vaNumber}.',
        'Cek nama dan jumlah {amount}.',
        'Konfirmasi dengan PIN atau OTP.',
      ],
      en: [
        'Log in to D-Bank PRO at dbank.co.id.',
        'Choose Pembayaran (Payment) > Virtual Account.',
        'Enter VA number {vaNumber}.',
        'Check the name and the amount of {amount}.',
        'Confirm with your PIN or OTP.',
      ],
    },
  },
};

const PLACEHOLDER = /\{(vaNumber|amount)\}/g;

function fillStep(step: string, fill: { vaNumber: string; amount: string }): string {
  // A replacer function, so "$" sequences in the values are inserted literally.
  return step.replace(PLACEHOLDER, (_, key: 'vaNumber' | 'amount') => fill[key]);
}

/** Localised, filled-in steps for one channel; interbankNote only for banks that accept it. */
export function instructionsFor(
  channel: VaChannel,
  locale: Locale,
  fill: { vaNumber: string; amount: string },
): { name: string; atm: string[]; mobile: string[]; internet: string[]; interbankNote?: string } {
  const guide = VA_GUIDES[channel];
  if (!guide) throw new RangeError(`Unknown VA channel: ${String(channel)}`);
  if (locale !== 'id' && locale !== 'en') throw new RangeError(`Unknown locale: ${String(locale)}`);
  const render = (steps: Record<Locale, string[]>) => steps[locale].map((s) => fillStep(s, fill));
  return {
    name: guide.name,
    atm: render(guide.atm),
    mobile: render(guide.mobile),
    internet: render(guide.internet),
    ...(guide.acceptsInterbank ? { interbankNote: INTERBANK_NOTE[locale] } : {}),
  };
}
