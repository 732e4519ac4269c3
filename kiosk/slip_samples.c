/*
 * slip_samples.c: fixtures for the slip composer's tests and `waymark
 * bench print` (slips themselves come from the content, slip_content.c):
 * three services of a fictional service point in Berlin,
 * in English, Arabic, Tigrinya, Burmese and Urdu, with German as the local
 * language. Addresses stay in their local form (what a driver or a
 * passer-by reads); the person's language gets where it is in words.
 */
#include <stdio.h>
#include <string.h>

#include "slip.h"

#define LOCAL_LANG "de"

typedef struct {
    const char *lang;
    const char *site, *free_label, *no_documents_label, *phone_label;
} sample_labels_t;

typedef struct {
    const char *lang;
    const char *name, *address, *hours;
} sample_texts_t;

typedef struct {
    const char *id;
    const char *phone, *qr;
    bool free, no_documents;
    sample_texts_t texts[6];
} sample_service_t;

static const sample_labels_t labels[] = {
    {"en", "North Service Point", "Free", "No documents needed", "Phone"},
    {"de", "Servicepunkt Nord", "Kostenlos", "Keine Dokumente nötig", "Telefon"},
    {"ar", "نقطة الخدمات الشمالية", "مجاني", "لا حاجة إلى وثائق", "الهاتف"},
    {"ti", "ማእከል ኣገልግሎት ሰሜን", "ብናጻ", "ሰነድ ኣየድልን", "ቴሌፎን"},
    {"my", "မြောက်ပိုင်း ဝန်ဆောင်မှုဌာန", "အခမဲ့", "စာရွက်စာတမ်း မလိုပါ", "ဖုန်း"},
    {"ur", "شمالی سروس پوائنٹ", "مفت", "کسی دستاویز کی ضرورت نہیں", "فون"},
};

static const sample_service_t services[] = {
    {"health-clinic",
     "+49 30 1234567",
     "https://services.example.org/berlin-nord/health-clinic",
     true,
     true,
     {
         {"en", "Health clinic", "Next to the main train station", "Monday to Friday, 09:00–17:00"},
         {"de", "Gesundheitsstation", "Lindenweg 4, 10115 Berlin (neben dem Hauptbahnhof)",
          "Montag bis Freitag, 09:00–17:00"},
         {"ar", "عيادة صحية", "بجانب محطة القطار الرئيسية", "من الاثنين إلى الجمعة، 09:00–17:00"},
         {"ti", "ክሊኒክ ጥዕና", "ጥቓ ቀንዲ መደበር ባቡር", "ካብ ሰኑይ ክሳብ ዓርቢ፣ 09:00–17:00"},
         {"my", "ကျန်းမာရေး ဆေးခန်း", "ဘူတာကြီး ဘေးတွင်", "တနင်္လာမှ သောကြာအထိ၊ 09:00–17:00"},
         {"ur", "صحت کلینک", "مرکزی ریلوے اسٹیشن کے ساتھ", "پیر سے جمعہ، 09:00–17:00"},
     }},
    {"legal-aid",
     "+49 30 7654321",
     "https://services.example.org/berlin-nord/legal-aid",
     true,
     false,
     {
         {"en", "Legal advice", "In the town hall, second floor",
          "Tuesday and Thursday, 10:00–14:00"},
         {"de", "Rechtsberatung", "Marktplatz 9, 10117 Berlin (im Rathaus, 2. Stock)",
          "Dienstag und Donnerstag, 10:00–14:00"},
         {"ar", "استشارة قانونية", "في مبنى البلدية، الطابق الثاني",
          "الثلاثاء والخميس، 10:00–14:00"},
         {"ti", "ሕጋዊ ምኽሪ", "ኣብ ህንጻ ምምሕዳር ከተማ፣ ካልኣይ ደርቢ", "ሰሉስን ሓሙስን፣ 10:00–14:00"},
         {"my", "ဥပဒေ အကြံပေးခြင်း", "မြို့တော်ခန်းမ၊ ဒုတိယထပ်", "အင်္ဂါနေ့နှင့် ကြာသပတေးနေ့၊ 10:00–14:00"},
         {"ur", "قانونی مشورہ", "ٹاؤن ہال، دوسری منزل", "منگل اور جمعرات، 10:00–14:00"},
     }},
    {"food",
     "+49 30 5550123",
     "https://services.example.org/berlin-nord/food",
     true,
     true,
     {
         {"en", "Food distribution", "Community hall, back entrance", "Every day, 12:00–14:00"},
         {"de", "Essensausgabe", "Kirchstraße 21, 10119 Berlin (Gemeindehaus, Hintereingang)",
          "Täglich, 12:00–14:00"},
         {"ar", "توزيع الطعام", "قاعة المجتمع، المدخل الخلفي", "كل يوم، 12:00–14:00"},
         {"ti", "ምዕዳል መግቢ", "ኣዳራሽ ማሕበረሰብ፣ ናይ ድሕሪት ማዕጾ", "ኩሉ መዓልቲ፣ 12:00–14:00"},
         {"my", "အစားအစာ ဝေငှခြင်း", "အသိုင်းအဝိုင်း ခန်းမ၊ နောက်ဘက် ဝင်ပေါက်", "နေ့စဉ်၊ 12:00–14:00"},
         {"ur", "کھانے کی تقسیم", "کمیونٹی ہال، پچھلا دروازہ", "روزانہ، 12:00–14:00"},
     }},
};

#define SERVICE_COUNT (sizeof(services) / sizeof(services[0]))
#define LABEL_COUNT   (sizeof(labels) / sizeof(labels[0]))

static const char *const sample_ids[] = {"health-clinic", "legal-aid", "food", NULL};
static const char *const sample_langs[] = {"en", "ar", "ti", "my", "ur", NULL};

static const sample_labels_t *labels_find(const char *lang);
static const sample_texts_t *texts_find(const sample_service_t *s, const char *lang);
static void fill(kiosk_slip_text_t *t, const sample_labels_t *l, const sample_texts_t *s);

const char *const *kiosk_slip_sample_ids(void)
{
    return sample_ids;
}

const char *const *kiosk_slip_sample_langs(void)
{
    return sample_langs;
}

wm_status_t kiosk_slip_sample(const char *id, const char *lang, const char *date, kiosk_slip_t *out)
{
    const sample_service_t *svc = NULL;
    const sample_texts_t *pt, *lt;
    const sample_labels_t *pl, *ll;

    for (size_t i = 0; i < SERVICE_COUNT; i++) {
        if (strcmp(services[i].id, id) == 0)
            svc = &services[i];
    }
    if (!svc)
        return wm_error(WM_ENOENT,
                        "no sample service '%s' (sample services: health-clinic, legal-aid, food)",
                        id);
    pt = texts_find(svc, lang);
    pl = labels_find(lang);
    if (!pt || !pl)
        return wm_error(WM_ENOENT, "the sample services have no '%s' (en, ar, ti, my, ur, de)",
                        lang);
    lt = texts_find(svc, LOCAL_LANG);
    ll = labels_find(LOCAL_LANG);
    memset(out, 0, sizeof(*out));
    fill(&out->person, pl, pt);
    fill(&out->local, ll, lt);
    out->phone = svc->phone;
    out->free = svc->free;
    out->no_documents = svc->no_documents;
    out->qr = svc->qr;
    out->date = date;
    return WM_OK;
}

void kiosk_slip_test_page(const char *date, kiosk_slip_t *out)
{
    memset(out, 0, sizeof(*out));
    out->person.lang = "en";
    out->person.site = "Waymark " WAYMARK_VERSION " test page";
    out->person.name = "Printer test";
    out->person.address = "If this page is readable, the QR code below scans and nothing "
                          "is cut off at the edges, the printer works.";
    out->person.hours = "English · Français · العربية · ትግርኛ · မြန်မာ · Українська — 0123456789";
    out->person.free_label = "Free";
    out->person.no_documents_label = "No documents needed";
    out->person.phone_label = "Phone";
    out->phone = NULL;
    out->free = true;
    out->no_documents = true;
    out->qr = "WAYMARK TEST PAGE";
    out->date = date;
}

static const sample_labels_t *labels_find(const char *lang)
{
    for (size_t i = 0; i < LABEL_COUNT; i++) {
        if (strcmp(labels[i].lang, lang) == 0)
            return &labels[i];
    }
    return NULL;
}

static const sample_texts_t *texts_find(const sample_service_t *s, const char *lang)
{
    for (size_t i = 0; i < sizeof(s->texts) / sizeof(s->texts[0]); i++) {
        if (s->texts[i].lang && strcmp(s->texts[i].lang, lang) == 0)
            return &s->texts[i];
    }
    return NULL;
}

static void fill(kiosk_slip_text_t *t, const sample_labels_t *l, const sample_texts_t *s)
{
    t->lang = l->lang;
    t->site = l->site;
    t->name = s->name;
    t->address = s->address;
    t->hours = s->hours;
    t->free_label = l->free_label;
    t->no_documents_label = l->no_documents_label;
    t->phone_label = l->phone_label;
}
