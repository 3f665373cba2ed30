{#- One ContentVersion per stored attachment, over-long body and `data:` image, published on its Case.
    The file name becomes Title and PathOnClient as a person's computer would save it: no folder
    part (`../`), no control or direction-override characters, `:` replaced, NFC, and cut to the
    field's limit with its extension kept; an empty name is `file`. The Stames name is kept. -#}
{#- `[^\n]` and `\z`, not `.` and `$`: Java's stop at \r, U+0085, U+2028 and U+2029 too, RE2's
    only at \n and the end, and the patterns must mean the same on both engines. -#}
{%- set folder_part %}^[^\n]*[/\\]{% endset -%}
{%- set unsafe_characters %}[\x00-\x1F\x7F\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]{% endset -%}
{%- set extension_at_end %}\.[A-Za-z0-9]{1,16}\z{% endset %}
with

files as (

    select * from {{ ref('int_files_collected') }}

),

cleaned as (

    select
        *,
        coalesce(
            nullif(trim({{ replace_all(
                "replace(regexp_replace(" ~ nfc("coalesce(file_name, '')") ~ ", " ~ literal(folder_part) ~ ", ''), ':', '_')",
                literal(unsafe_characters), "''"
            ) }}), ''),
            'file'
        ) as clean_name
    from files

),

split as (

    select
        *,
        regexp_extract(clean_name, {{ literal(extension_at_end) }}, 0) as extension
    from cleaned

)

select
    content_version_id as Stames_Id__c,
    ticket_id::string as ref__FirstPublishLocationId,
    {{ file_name_within('clean_name', 'extension', salesforce_limit('ContentVersion.Title')) }} as Title,
    {{ file_name_within('clean_name', 'extension', salesforce_limit('ContentVersion.PathOnClient')) }} as PathOnClient,
    file_kind as stames__file_kind,
    message_id::string as stames__message_id,
    content_type as stames__content_type,
    storage_path as stames__file_path,
    size_bytes as stames__size_bytes,
    sha256 as stames__sha256,
    inline_content as stames__inline_content,
    file_name as stames__file_name
from split
