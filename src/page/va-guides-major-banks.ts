// VA payment steps for BCA, BRI, Mandiri and BNI, the banks most shoppers pay from. The copy's rules
// (labels as the bank shows them, placeholders) are in va-instructions.ts.
import type { BankGuide, VaChannel } from './va-instructions.ts';

export const MAJOR_BANK_GUIDES = {
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
} satisfies Partial<Record<VaChannel, BankGuide>>;
