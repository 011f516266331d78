// VA payment steps for BSI, CIMB Niaga, PermataBank, Bank Neo Commerce and Danamon. The copy's rules
// (labels as the bank shows them, placeholders) are in va-instructions.ts.
import type { BankGuide, VaChannel } from './va-instructions.ts';

export const OTHER_BANK_GUIDES = {
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
} satisfies Partial<Record<VaChannel, BankGuide>>;
