"""Word lists for multilingual helpdesk text. Plain tuples: no Faker global state, stable order."""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("es", "en", "ca", "pt", "de", "ar", "he")
LANGUAGE_WEIGHTS: tuple[int, ...] = (48, 20, 10, 10, 7, 3, 2)

PRODUCTS: tuple[str, ...] = (
    "X200",
    "X200 Pro",
    "Nova 5",
    "Nova 5 Lite",
    "TabOne 10",
    "Aura Buds",
    "PowerCase 3",
    "HomeHub",
    "Vega S",
    "Vega S+",
    "KidWatch 2",
    "ChargeDock",
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "Ana",
        "José",
        "Lucía",
        "Javier",
        "Marta",
        "Íñigo",
        "Carmen",
        "Sofía",
        "Álvaro",
        "Nuria",
        "Raúl",
        "Begoña",
        "Pilar",
        "Andrés",
        "Elena",
        "Ramón",
    ),
    "en": ("Emily", "James", "Olivia", "Harry", "Grace", "Oliver", "Chloe", "Jack", "Amelia", "George"),
    "ca": ("Jordi", "Montserrat", "Pau", "Mireia", "Arnau", "Núria", "Oriol", "Laia", "Quim", "Roser"),
    "pt": ("João", "Inês", "Gonçalo", "Beatriz", "Tomás", "Leonor", "Rodrigo", "Mariana", "Luís"),
    "de": ("Jürgen", "Lena", "Lukas", "Sophie", "Maximilian", "Anna", "Jörg", "Müge", "Felix"),
    "ar": ("محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم", "Karim", "Nadia", "Omar"),
    "he": ("נועה", "דוד", "יעל", "אברהם", "Tamar", "Eitan", "Noa", "Yosef"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "Pérez",
        "García",
        "Martínez",
        "López",
        "Sánchez",
        "Gómez",
        "Fernández",
        "Muñoz",
        "Ibáñez",
        "Núñez",
        "Castaño",
        "Ortega",
        "Rubio",
        "Serrano",
    ),
    "en": ("Smith", "Jones", "Taylor", "Brown", "Williams", "O'Connor", "Wilson", "Evans", "Walsh"),
    "ca": ("Puig", "Vidal", "Ferrer", "Soler", "Roca", "Pujol", "Casals", "Bosch", "Vilaró"),
    "pt": ("Silva", "Santos", "Ferreira", "Gonçalves", "Rodrigues", "Conceição", "Araújo", "Magalhães"),
    "de": ("Müller", "Schmidt", "Schäfer", "Groß", "Weiß", "Köhler", "Becker", "Hoffmann"),
    "ar": ("العلي", "حداد", "Haddad", "El Amrani", "Benali", "الحسن"),
    "he": ("כהן", "לוי", "Mizrahi", "Peretz", "Biton", "אברהמי"),
}

EMAIL_DOMAINS: tuple[str, ...] = (
    "example.com",
    "example.org",
    "example.net",
    "correo.example",
    "mail.example",
    "posteo.example",
)

# One real company, spelled 3-6 ways across customers (§3 #4); "" is a typed-but-empty company.
COMPANY_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("ACME Ltd.", "Acme Ltd", "ACME LIMITED", "acme", "Acme, S.L."),
    ("Telefonía Norte S.A.", "Telefonia Norte SA", "TELEFONÍA NORTE", "telefonia norte s.a."),
    ("Müller & Söhne GmbH", "Mueller und Soehne GmbH", "Müller & Söhne", "MULLER SOHNE GMBH"),
    ("Hotel Mar Blau", "Hotel Mar Blau S.L.", "hotel mar blau", "Mar Blau Hotels"),
    ("Lisboa Digital Lda.", "Lisboa Digital, Lda", "LISBOA DIGITAL", "Lisboa Digital Limitada"),
    ("Globex Corporation", "Globex Corp.", "GLOBEX", "Globex Corp", "globex corporation", "Globex Inc."),
)

GREETINGS: dict[str, tuple[str, ...]] = {
    "es": ("Hola,", "Buenos días,", "Buenas tardes,", "Hola equipo,", "Estimados:"),
    "en": ("Hi,", "Hello,", "Good morning,", "Dear support team,", "Hey there,"),
    "ca": ("Hola,", "Bon dia,", "Bona tarda,", "Benvolgut equip,"),
    "pt": ("Olá,", "Bom dia,", "Boa tarde,", "Caros senhores,"),
    "de": ("Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Moin,"),
    "ar": ("مرحبا،", "السلام عليكم،", "مساء الخير،"),
    "he": ("שלום,", "היי,", "ערב טוב,"),
}
PROBLEMS: dict[str, tuple[str, ...]] = {
    "es": (
        "la pantalla de mi {p} se ha roto",
        "mi {p} no carga desde ayer",
        "quiero devolver el {p} que compré",
        "no me ha llegado la factura del {p}",
        "el {p} se reinicia solo cada pocos minutos",
        "necesito cambiar la dirección de envío",
        "me habéis cobrado dos veces el pedido",
        "la batería del {p} dura muy poco",
    ),
    "en": (
        "the screen of my {p} is cracked",
        "my {p} stopped charging yesterday",
        "I would like to return the {p} I bought",
        "I never received the invoice for my {p}",
        "the {p} keeps rebooting every few minutes",
        "I was charged twice for my order",
    ),
    "ca": (
        "la pantalla del meu {p} s'ha trencat",
        "el {p} no carrega des d'ahir",
        "vull retornar el {p} que vaig comprar",
        "no he rebut la factura del {p}",
    ),
    "pt": (
        "o ecrã do meu {p} partiu-se",
        "o meu {p} não carrega desde ontem",
        "quero devolver o {p} que comprei",
        "não recebi a fatura do {p}",
    ),
    "de": (
        "das Display meines {p} ist gebrochen",
        "mein {p} lädt seit gestern nicht mehr",
        "ich möchte das {p} zurückgeben",
        "ich habe keine Rechnung für das {p} erhalten",
    ),
    "ar": ("شاشة جهاز {p} مكسورة", "جهاز {p} لا يشحن منذ الأمس", "أريد إرجاع {p}"),
    "he": ("המסך של ה-{p} שלי נשבר", "ה-{p} לא נטען מאתמול", "אני רוצה להחזיר את ה-{p}"),
}
DETAILS: dict[str, tuple[str, ...]] = {
    "es": (
        "Lo compré hace tres meses en vuestra tienda online.",
        "Ya he probado a reiniciarlo.",
        "Adjunto una foto del problema.",
        "El número de pedido es {n}.",
        "Es urgente, lo uso para trabajar.",
        "¿Me podéis decir qué hago?",
        "Gracias de antemano 🙏",
    ),
    "en": (
        "I bought it three months ago from your web shop.",
        "I already tried a factory reset.",
        "Photo attached.",
        "My order number is {n}.",
        "Please advise, this is urgent.",
        "Thanks! 😊",
    ),
    "ca": (
        "El vaig comprar fa tres mesos.",
        "Ja he provat de reiniciar-lo.",
        "El número de comanda és {n}.",
        "Moltes gràcies.",
    ),
    "pt": ("Comprei-o há três meses.", "Já tentei reiniciar.", "O número da encomenda é {n}.", "Obrigado!"),
    "de": (
        "Ich habe es vor drei Monaten gekauft.",
        "Ein Neustart hat nicht geholfen.",
        "Die Bestellnummer lautet {n}.",
        "Vielen Dank im Voraus.",
    ),
    "ar": ("اشتريته قبل ثلاثة أشهر.", "رقم الطلب {n}.", "شكرا جزيلا."),
    "he": ("קניתי אותו לפני שלושה חודשים.", "מספר ההזמנה {n}.", "תודה רבה."),
}
AGENT_REPLIES: dict[str, tuple[str, ...]] = {
    "es": (
        "Gracias por contactar con nosotros. Estamos revisando tu caso.",
        "Hemos solicitado la pieza al proveedor, el plazo estimado es de 5 días.",
        "¿Podrías enviarnos el número de serie del dispositivo?",
        "Te hemos enviado una etiqueta de devolución por correo.",
        "El reembolso se ha tramitado y lo verás en 3-5 días hábiles.",
    ),
    "en": (
        "Thanks for reaching out. We are looking into it.",
        "Could you send us the serial number of the device?",
        "We have issued a return label to your email address.",
        "Your refund has been processed and should arrive in 3-5 business days.",
    ),
    "ca": ("Gràcies per contactar-nos. Estem revisant el teu cas.", "Ens pots enviar el número de sèrie?"),
    "pt": ("Obrigado pelo contacto. Estamos a analisar o seu pedido.", "Pode enviar-nos o número de série?"),
    "de": ("Danke für Ihre Nachricht. Wir prüfen Ihr Anliegen.", "Können Sie uns die Seriennummer senden?"),
    "ar": ("شكرا لتواصلك معنا. نحن نراجع طلبك.", "هل يمكنك إرسال الرقم التسلسلي؟"),
    "he": ("תודה על פנייתך. אנחנו בודקים את הנושא.", "תוכל לשלוח לנו את המספר הסידורי?"),
}
SIGN_OFFS: dict[str, tuple[str, ...]] = {
    "es": ("Un saludo,", "Saludos cordiales,", "Gracias,"),
    "en": ("Best regards,", "Cheers,", "Kind regards,"),
    "ca": ("Salutacions,", "Gràcies,"),
    "pt": ("Cumprimentos,", "Obrigado,"),
    "de": ("Mit freundlichen Grüßen,", "Viele Grüße,"),
    "ar": ("مع التحية،",),
    "he": ("בברכה,",),
}
INTERNAL_NOTES: tuple[str, ...] = (
    "Pedido pieza al proveedor, ETA 5 días",
    "Cliente VIP, priorizar",
    "Escalado a N2 por fallo de firmware",
    "Checked logs, looks like a known firmware bug (FW-1123)",
    "Refund approved by supervisor",
    "Llamado al cliente, no contesta",
    "Duplicate of an earlier ticket?",
)
BOT_REPLIES: dict[str, str] = {
    "es": "Hemos recibido tu mensaje. Un agente te responderá en menos de 24 horas.",
    "en": "We have received your message. An agent will reply within 24 hours.",
    "ca": "Hem rebut el teu missatge. Un agent et respondrà en menys de 24 hores.",
    "pt": "Recebemos a sua mensagem. Um agente responderá em menos de 24 horas.",
    "de": "Wir haben Ihre Nachricht erhalten. Ein Mitarbeiter antwortet innerhalb von 24 Stunden.",
    "ar": "لقد تلقينا رسالتك. سيرد عليك أحد الموظفين خلال 24 ساعة.",
    "he": "קיבלנו את הודעתך. נציג יחזור אליך תוך 24 שעות.",
}
SUBJECT_PREFIXES: dict[str, tuple[str, ...]] = {
    "es": ("Reclamación garantía", "Consulta", "Problema con", "Devolución", "Factura"),
    "en": ("Warranty claim", "Question about", "Problem with", "Return", "Invoice"),
    "ca": ("Reclamació garantia", "Consulta", "Problema amb"),
    "pt": ("Reclamação garantia", "Dúvida", "Problema com"),
    "de": ("Garantieanfrage", "Frage zu", "Problem mit", "Rücksendung"),
    "ar": ("مطالبة بالضمان", "استفسار"),
    "he": ("תביעת אחריות", "שאלה לגבי"),
}
LOG_LINES: tuple[str, ...] = (
    "2024-05-01 08:12:45,120 ERROR [fw.charger] Voltage out of range: 4.91V (expected 5.00V)",
    "2024-05-01 08:12:45,311 WARN  [net.wifi] Reconnect attempt 3/5 failed (reason=AUTH_TIMEOUT)",
    "2024-05-01 08:12:46,002 INFO  [sys.boot] Watchdog reset, uptime=00:04:12",
    "2024-05-01 08:12:47,874 DEBUG [ui.display] Panel init sequence 0x2A 0x2B 0x2C ok",
)
BIDI_CONTROLS: tuple[str, ...] = ("\u200f", "\u202b", "\u2067", "\u202e")
