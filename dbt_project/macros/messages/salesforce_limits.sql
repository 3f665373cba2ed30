{#- Salesforce field lengths the messages area cuts to, in UTF-16 code units (Salesforce counts
    textarea and string length in characters as Java does; see utf16_length). Source: the
    contract's object facts (EmailMessage §4.1, Case §4.2, Task §4.6; CaseComment's 4000 is [recall]). TextBody is taken as 131072 like
    HtmlBody: the current field reference lists it so, and the local org enforces that.
    The var `salesforce_limits` overrides single entries (unit tests use small limits). -#}
{% macro salesforce_limit(field) -%}
    {%- set defaults = {
        'EmailMessage.HtmlBody': 131072,
        'EmailMessage.TextBody': 131072,
        'EmailMessage.Subject': 3000,
        'EmailMessage.ToAddress': 4000,
        'EmailMessage.FromAddress': 1000,
        'EmailMessage.FromName': 1000,
        'Task.Subject': 255,
        'Case.Subject': 255,
        'Case.Description': 32000,
        'ContentVersion.Title': 255,
        'ContentVersion.PathOnClient': 500,
        'Task.Description': 32000,
        'CaseComment.CommentBody': 4000,
    } -%}
    {{- var('salesforce_limits', {}).get(field, defaults[field]) -}}
{%- endmacro %}


{#- The text a generated file's ContentVersion is named by in a body: the loader replaces
    `stames-file:<Stames_Id__c>` with the loaded file's download URL. -#}
{% macro file_reference(content_version_id_expr) -%}
    ('stames-file:' || {{ content_version_id_expr }})
{%- endmacro %}


{#- How much longer a body may grow per file reference when the loader swaps it for the URL
    `/sfc/servlet.shepherd/version/download/<18-character Id>` (57 characters) in place of
    `stames-file:<id>` (12 characters and more): the room a fitted HtmlBody leaves per reference,
    so the body still fits once the URLs are in. -#}
{% macro file_reference_growth() -%}{{ var('file_reference_growth', 45) }}{%- endmacro %}


{#- How many file references a body holds. -#}
{% macro file_reference_count(text_expr) -%}
    coalesce(cast(floor((length({{ text_expr }}) - length(replace({{ text_expr }}, 'stames-file:', ''))) / 12) as bigint), 0)
{%- endmacro %}


{#- One value of mapping.settings (scalar subquery). -#}
{% macro mapping_setting(key) -%}
    (select value from {{ source('mapping', 'settings') }} where key = '{{ key }}')
{%- endmacro %}


{#- A Salesforce email address check, the pattern the local org validates Email fields with. -#}
{% macro is_email_address(text_expr) -%}
    {%- set pattern %}^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+${% endset -%}
    coalesce({{ matches(text_expr, literal(pattern)) }}, false)
{%- endmacro %}
