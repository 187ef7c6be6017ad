-- What the reading desk offers to pick from (issue 14): report templates per modality
-- class and body part, in Mongolian and English, and the diagnosis code lists (ICD-10
-- now, ICD-11 as it is introduced) that code entry searches. Both are reference data:
-- no patient data, edited by admins, every change audited in its own transaction.

-- A template prefills a draft's findings and impression. NULL modality_class or body_part:
-- the template fits any. body_part is a DICOM Body Part Examined term (VR CS: upper-case
-- letters, digits, space, underscore; at most 16). `version` is the optimistic
-- concurrency counter of PUT (If-Match), as for reports.
CREATE TABLE report_template (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    language       text NOT NULL CHECK (language IN ('mn', 'en')),
    modality_class text CHECK (modality_class IN ('CT', 'XRAY', 'OTHER')),
    body_part      text CHECK (body_part ~ '^[A-Z0-9_ ]{1,16}$'),
    findings       text NOT NULL DEFAULT '' CHECK (octet_length(findings) <= 65536),
    impression     text NOT NULL DEFAULT '' CHECK (octet_length(impression) <= 65536),
    active         boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     text NOT NULL
);
-- A name says which template it is: one per language.
CREATE UNIQUE INDEX report_template_name_idx ON report_template (language, name);

-- One code of a classification with its titles. An admin replaces a system's whole
-- list at once (DELETE + INSERT in one transaction), so rows carry no history.
CREATE TABLE diagnosis_code (
    system   text NOT NULL CHECK (system IN ('icd10', 'icd11')),
    code     text NOT NULL CHECK (length(code) BETWEEN 3 AND 64),
    title_mn text NOT NULL DEFAULT '' CHECK (length(title_mn) <= 500),
    title_en text NOT NULL DEFAULT '' CHECK (length(title_en) <= 500),
    PRIMARY KEY (system, code),
    CHECK (title_mn <> '' OR title_en <> '')
);
-- Words anywhere in the code or the titles, case-insensitive (lower() folds Cyrillic
-- under the cluster's C.UTF-8 ctype, as for patient names in 0013): trigrams.
CREATE INDEX diagnosis_code_text_trgm_idx ON diagnosis_code
    USING gin (lower(code || ' ' || title_mn || ' ' || title_en) gin_trgm_ops);
-- A code prefix ("J18" finds J18, J18.0 ... J18.9) whatever the database's collation.
-- The code leads, so a search of every system can OR it with the trigram index.
CREATE INDEX diagnosis_code_prefix_idx ON diagnosis_code (code text_pattern_ops);

-- The starter ICD-10 list: every code of the demo's reports and e-examinations
-- (src/demo/demo_data_tables.h) and the common findings of CT and X-ray reading.
-- English titles as WHO's ICD-10 (2019); Mongolian in plain medical wording.
INSERT INTO diagnosis_code (system, code, title_mn, title_en) VALUES
    -- The demo's codes.
    ('icd10', 'R51', 'Толгой өвдөх', 'Headache'),
    ('icd10', 'I63.5', 'Тархины артерийн тодорхойгүй бөглөрөл буюу нарийслаас үүдсэн тархины шигдээс', 'Cerebral infarction due to unspecified occlusion or stenosis of cerebral arteries'),
    ('icd10', 'S06.5', 'Гэмтлийн хатуу хальсан доорх цус хуралт', 'Traumatic subdural haemorrhage'),
    ('icd10', 'J18.9', 'Хатгаа, тодорхойгүй', 'Pneumonia, unspecified'),
    ('icd10', 'I26.9', 'Уушгины артерийн тромбоэмболи, цочмог уушгин гаралтай зүрхний дутагдалгүй', 'Pulmonary embolism without mention of acute cor pulmonale'),
    ('icd10', 'R91', 'Уушгины дүрс оношилгооны хэвийн бус үзүүлэлт', 'Abnormal findings on diagnostic imaging of lung'),
    ('icd10', 'K35.8', 'Цочмог мухар олгойн үрэвсэл, бусад ба тодорхойгүй', 'Acute appendicitis, other and unspecified'),
    ('icd10', 'K80.1', 'Цөсний хүүдийн чулуу, бусад цөсний хүүдийн үрэвсэлтэй', 'Calculus of gallbladder with other cholecystitis'),
    ('icd10', 'N20.1', 'Шээлгүүрийн чулуу', 'Calculus of ureter'),
    ('icd10', 'S32.0', 'Бүсэлхийн нугаламын хугарал', 'Fracture of lumbar vertebra'),
    ('icd10', 'J01.0', 'Дээд эрүүний хөндийн цочмог үрэвсэл', 'Acute maxillary sinusitis'),
    ('icd10', 'Z01.6', 'Рентген шинжилгээ, өөр ангилалд ороогүй', 'Radiological examination, not elsewhere classified'),
    ('icd10', 'S52.5', 'Шууны ясны доод үзүүрийн хугарал', 'Fracture of lower end of radius'),
    ('icd10', 'M17.1', 'Өвдөгний үений бусад анхдагч остеоартроз', 'Other primary gonarthrosis'),
    ('icd10', 'I10', 'Артерийн анхдагч гипертензи', 'Essential (primary) hypertension'),
    ('icd10', 'I20.8', 'Бах өвчний бусад хэлбэр', 'Other forms of angina pectoris'),
    ('icd10', 'J44.1', 'Уушгины архаг бөглөрөлт өвчин, цочмог даамжрал', 'Chronic obstructive pulmonary disease with acute exacerbation, unspecified'),
    ('icd10', 'E11.9', 'Чихрийн шижин 2-р хэлбэр, хүндрэлгүй', 'Type 2 diabetes mellitus without complications'),
    ('icd10', 'E04.1', 'Бамбай булчирхайн хоргүй ганц зангилаа', 'Nontoxic single thyroid nodule'),
    ('icd10', 'K21.9', 'Улаан хоолойн сөөргөө өвчин, улаан хоолойн үрэвсэлгүй', 'Gastro-oesophageal reflux disease without oesophagitis'),
    ('icd10', 'M06.9', 'Ревматоид артрит, тодорхойгүй', 'Rheumatoid arthritis, unspecified'),
    ('icd10', 'G44.2', 'Хурцадмал хэлбэрийн толгой өвдөлт', 'Tension-type headache'),
    ('icd10', 'M54.1', 'Радикулопати', 'Radiculopathy'),
    ('icd10', 'J20.9', 'Цочмог бронхит, тодорхойгүй', 'Acute bronchitis, unspecified'),
    ('icd10', 'E44.1', 'Хөнгөн хэлбэрийн уураг-илчлэгийн дутагдал', 'Mild protein-energy malnutrition'),
    -- Head and brain.
    ('icd10', 'I61.9', 'Тархины бодисын цус харвалт, тодорхойгүй', 'Intracerebral haemorrhage, unspecified'),
    ('icd10', 'I60.9', 'Аалзан хальсан доорх цус харвалт, тодорхойгүй', 'Subarachnoid haemorrhage, unspecified'),
    ('icd10', 'I62.0', 'Гэмтлийн бус хатуу хальсан доорх цус хуралт', 'Nontraumatic subdural haemorrhage'),
    ('icd10', 'S06.0', 'Тархи доргилт', 'Concussion'),
    ('icd10', 'S06.4', 'Хатуу хальсан дээрх цус хуралт', 'Epidural haemorrhage'),
    ('icd10', 'S06.6', 'Гэмтлийн аалзан хальсан доорх цус харвалт', 'Traumatic subarachnoid haemorrhage'),
    ('icd10', 'S02.0', 'Гавлын оройн ясны хугарал', 'Fracture of vault of skull'),
    ('icd10', 'S02.1', 'Гавлын суурийн хугарал', 'Fracture of base of skull'),
    ('icd10', 'G93.6', 'Тархины хаван', 'Cerebral oedema'),
    ('icd10', 'G91.9', 'Тархины усжилт, тодорхойгүй', 'Hydrocephalus, unspecified'),
    ('icd10', 'D32.9', 'Тархины хальсны хоргүй хавдар, тодорхойгүй', 'Benign neoplasm: Meninges, unspecified'),
    ('icd10', 'C71.9', 'Тархины хорт хавдар, тодорхойгүй', 'Malignant neoplasm: Brain, unspecified'),
    ('icd10', 'C79.3', 'Тархи ба тархины хальсны үсэрхийлэл', 'Secondary malignant neoplasm of brain and cerebral meninges'),
    ('icd10', 'J32.9', 'Хамрын дайврын хөндийн архаг үрэвсэл, тодорхойгүй', 'Chronic sinusitis, unspecified'),
    ('icd10', 'R93.0', 'Гавал ба толгойн дүрс оношилгооны хэвийн бус үзүүлэлт, өөр ангилалд ороогүй', 'Abnormal findings on diagnostic imaging of skull and head, not elsewhere classified'),
    -- Chest.
    ('icd10', 'J18.1', 'Дэлбэнгийн хатгаа, тодорхойгүй', 'Lobar pneumonia, unspecified'),
    ('icd10', 'J12.9', 'Вирусын хатгаа, тодорхойгүй', 'Viral pneumonia, unspecified'),
    ('icd10', 'A15.0', 'Уушгины сүрьеэ, цэрний микроскопоор батлагдсан', 'Tuberculosis of lung, confirmed by sputum microscopy with or without culture'),
    ('icd10', 'A16.2', 'Уушгины сүрьеэ, бактериологи ба гистологийн баталгаагүй', 'Tuberculosis of lung, without mention of bacteriological or histological confirmation'),
    ('icd10', 'J90', 'Гялтангийн хөндийн шингэн, өөр ангилалд ороогүй', 'Pleural effusion, not elsewhere classified'),
    ('icd10', 'J93.9', 'Гялтангийн хөндийн агаар (пневмоторакс), тодорхойгүй', 'Pneumothorax, unspecified'),
    ('icd10', 'J43.9', 'Уушгины эмфизем, тодорхойгүй', 'Emphysema, unspecified'),
    ('icd10', 'J47', 'Гуурсан хоолойн өргөсөл', 'Bronchiectasis'),
    ('icd10', 'J84.1', 'Уушгины завсрын эдийн бусад өвчин, фиброзтой', 'Other interstitial pulmonary diseases with fibrosis'),
    ('icd10', 'J98.1', 'Уушгины агааргүйдэл (ателектаз)', 'Pulmonary collapse'),
    ('icd10', 'C34.9', 'Гуурсан хоолой ба уушгины хорт хавдар, тодорхойгүй', 'Malignant neoplasm: Bronchus or lung, unspecified'),
    ('icd10', 'C78.0', 'Уушгины үсэрхийлэл', 'Secondary malignant neoplasm of lung'),
    ('icd10', 'I50.9', 'Зүрхний дутагдал, тодорхойгүй', 'Heart failure, unspecified'),
    ('icd10', 'I51.7', 'Зүрхний томрол', 'Cardiomegaly'),
    ('icd10', 'I71.2', 'Цээжний гол судасны цүлхэн, хагараагүй', 'Thoracic aortic aneurysm, without mention of rupture'),
    ('icd10', 'S22.3', 'Хавирганы хугарал', 'Fracture of rib'),
    -- Abdomen and urinary tract.
    ('icd10', 'I71.4', 'Хэвлийн гол судасны цүлхэн, хагараагүй', 'Abdominal aortic aneurysm, without mention of rupture'),
    ('icd10', 'K56.6', 'Гэдэсний бусад ба тодорхойгүй түгжрэл', 'Other and unspecified intestinal obstruction'),
    ('icd10', 'K85.9', 'Цочмог нойр булчирхайн үрэвсэл, тодорхойгүй', 'Acute pancreatitis, unspecified'),
    ('icd10', 'K76.0', 'Элэгний өөхлөлт, өөр ангилалд ороогүй', 'Fatty (change of) liver, not elsewhere classified'),
    ('icd10', 'K74.6', 'Элэгний бусад ба тодорхойгүй хатуурал', 'Other and unspecified cirrhosis of liver'),
    ('icd10', 'B67.0', 'Элэгний эхинококкоз (Echinococcus granulosus)', 'Echinococcus granulosus infection of liver'),
    ('icd10', 'C22.0', 'Элэгний эсийн хорт хавдар', 'Liver cell carcinoma'),
    ('icd10', 'C16.9', 'Ходоодны хорт хавдар, тодорхойгүй', 'Malignant neoplasm: Stomach, unspecified'),
    ('icd10', 'K80.2', 'Цөсний хүүдийн чулуу, үрэвсэлгүй', 'Calculus of gallbladder without cholecystitis'),
    ('icd10', 'N20.0', 'Бөөрний чулуу', 'Calculus of kidney'),
    ('icd10', 'N13.3', 'Бусад ба тодорхойгүй гидронефроз', 'Other and unspecified hydronephrosis'),
    ('icd10', 'N28.1', 'Бөөрний олдмол уйланхай', 'Cyst of kidney, acquired'),
    ('icd10', 'K40.9', 'Цавины ивэрхий, нэг талын буюу тодорхойгүй, хавчигдал ба үхжилгүй', 'Unilateral or unspecified inguinal hernia, without obstruction or gangrene'),
    ('icd10', 'R93.5', 'Хэвлийн бусад хэсэг, түүний дотор хэвлийн арын зайн дүрс оношилгооны хэвийн бус үзүүлэлт', 'Abnormal findings on diagnostic imaging of other abdominal regions, including retroperitoneum'),
    -- Spine and limbs.
    ('icd10', 'S12.9', 'Хүзүүний хугарал, хэсэг нь тодорхойгүй', 'Fracture of neck, part unspecified'),
    ('icd10', 'S42.0', 'Эгэмний ясны хугарал', 'Fracture of clavicle'),
    ('icd10', 'S62.0', 'Бугуйн завьт ясны хугарал', 'Fracture of navicular [scaphoid] bone of hand'),
    ('icd10', 'S72.0', 'Гуяны ясны хүзүүний хугарал', 'Fracture of neck of femur'),
    ('icd10', 'S82.2', 'Шилбэний ясны их биеийн хугарал', 'Fracture of shaft of tibia'),
    ('icd10', 'S82.6', 'Шагайн гадна товгорын хугарал', 'Fracture of lateral malleolus'),
    ('icd10', 'M51.1', 'Бүсэлхийн ба бусад нугалам хоорондын жийргэвчийн эмгэг, радикулопатитай', 'Lumbar and other intervertebral disc disorders with radiculopathy'),
    ('icd10', 'M47.8', 'Бусад спондилез', 'Other spondylosis'),
    ('icd10', 'M16.9', 'Түнхний үений остеоартроз, тодорхойгүй', 'Coxarthrosis, unspecified'),
    ('icd10', 'M81.9', 'Ясны сийрэгжилт, тодорхойгүй', 'Osteoporosis, unspecified'),
    ('icd10', 'R93.7', 'Булчин-араг ясны тогтолцооны бусад хэсгийн дүрс оношилгооны хэвийн бус үзүүлэлт', 'Abnormal findings on diagnostic imaging of other parts of musculoskeletal system');

-- Starter templates: a normal report per common examination, in both languages, and one
-- for any examination. Admins edit or replace them.
INSERT INTO report_template (name, language, modality_class, body_part, findings, impression, updated_by) VALUES
    ('Тархины КТ — хэвийн', 'mn', 'CT', 'HEAD',
     'Тархины бодист голомтот өөрчлөлт илрээгүй. Саарал ба цагаан бодисын ялгарал хадгалагдсан. Ховдлын систем өргөсөөгүй, дунд шугам шилжээгүй. Хатуу хальсан доор болон дээр цус хуралт илрээгүй. Гавлын ясанд хугарал илрээгүй.',
     'Тархины КТ-д цочмог эмгэг өөрчлөлт илрээгүй.', 'telerad'),
    ('CT head — normal', 'en', 'CT', 'HEAD',
     'No focal lesion of the brain parenchyma. Grey-white matter differentiation is preserved. The ventricles are not dilated; no midline shift. No extra-axial collection. No skull fracture.',
     'No acute intracranial abnormality on CT.', 'telerad'),
    ('Цээжний КТ — хэвийн', 'mn', 'CT', 'CHEST',
     'Уушгины талбайд голомтот болон нэвчдэст өөрчлөлт илрээгүй. Гялтангийн хөндийд шингэн, агаар хураагүй. Гуурсан хоолойн хөндий чөлөөтэй. Дундах хөндийн тунгалгийн зангилаа томроогүй. Зүрх, гол судасны хэмжээ хэвийн.',
     'Цээжний КТ-д эмгэг өөрчлөлт илрээгүй.', 'telerad'),
    ('CT chest — normal', 'en', 'CT', 'CHEST',
     'The lungs are clear, without focal or infiltrative lesion. No pleural effusion or pneumothorax. The airways are patent. No mediastinal or hilar lymphadenopathy. Heart and great vessels of normal size.',
     'No abnormality on chest CT.', 'telerad'),
    ('Хэвлийн хөндийн КТ — хэвийн', 'mn', 'CT', 'ABDOMEN',
     'Элэг хэвийн хэмжээтэй, бүтэц жигд, голомтот өөрчлөлтгүй. Цөсний хүүдий, цөсний цорго өргөсөөгүй, чулуугүй. Нойр булчирхай, дэлүү, бөөрний дээд булчирхай хэвийн. Хоёр бөөр хэвийн хэмжээтэй, тэвшин өргөсөөгүй, чулуугүй. Гэдэс түгжрээгүй. Хэвлийн хөндийд чөлөөт шингэн, агаар илрээгүй.',
     'Хэвлийн хөндийн КТ-д эмгэг өөрчлөлт илрээгүй.', 'telerad'),
    ('CT abdomen — normal', 'en', 'CT', 'ABDOMEN',
     'The liver is of normal size and uniform attenuation, without focal lesion. Gallbladder and bile ducts are not dilated; no calculi. Pancreas, spleen and adrenal glands are normal. Both kidneys are of normal size, without hydronephrosis or calculi. No bowel obstruction. No free fluid or free air.',
     'No abnormality on abdominal CT.', 'telerad'),
    ('Цээжний рентген — хэвийн', 'mn', 'XRAY', 'CHEST',
     'Уушгины талбай цэвэр, голомтот сүүдэржилтгүй. Уушгины хээ хэвийн. Гялтангийн синус чөлөөтэй. Зүрх, гол судасны сүүдэр хэвийн хэмжээтэй. Харагдах ясанд хугарал илрээгүй.',
     'Цээжний рентгенд эмгэг илрээгүй.', 'telerad'),
    ('Chest X-ray — normal', 'en', 'XRAY', 'CHEST',
     'The lungs are clear, without focal opacity. Normal pulmonary vascular markings. The costophrenic angles are clear. Heart and mediastinal contours of normal size. No fracture of the visible bones.',
     'No abnormality on the chest radiograph.', 'telerad'),
    ('Яс, үений рентген — хэвийн', 'mn', 'XRAY', 'EXTREMITY',
     'Ясны бүтэн байдал хадгалагдсан, хугарлын шугам илрээгүй. Үений завсар хэвийн, мултрал илрээгүй. Зөөлөн эдэд онцлох өөрчлөлтгүй.',
     'Яс, үений гэмтлийн өөрчлөлт илрээгүй.', 'telerad'),
    ('Extremity X-ray — normal', 'en', 'XRAY', 'EXTREMITY',
     'The cortex is intact; no fracture line. Joint spaces are normal; no dislocation. The soft tissues are unremarkable.',
     'No bony injury.', 'telerad'),
    ('Хэвийн (бүх шинжилгээ)', 'mn', NULL, NULL,
     'Шинжилгээнд хамрагдсан хэсэгт эмгэг өөрчлөлт илрээгүй.',
     'Эмгэг өөрчлөлт илрээгүй.', 'telerad'),
    ('Normal (any examination)', 'en', NULL, NULL,
     'No abnormality in the examined region.',
     'Normal study.', 'telerad');
