{#- One ContentVersion per stored attachment, over-long body and `data:` image, published on its Case.
    The file name becomes Title and PathOnClient as a person's computer would save it: no folder
    part (`../`), no control or direction-override characters, `:` replaced, NFC, and cut to the
    field's limit with its extension kept; an empty name is `file`. The Stames name is kept. -#}
with

files as (

    select * from {{ ref('int_files_collected') }}

),

cleaned as (

    select
        *,
        coalesce(
            nullif(trim(regexp_replace(
                replace(regexp_replace(nfc_normalize(coalesce(file_name, '')), '^.*[/\\]', ''), ':', '_'),
                '[\x00-\x1F\x7F\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]', '', 'g'
            )), ''),
            'file'
        ) as clean_name
    from files

),

split as (

    select
        *,
        regexp_extract(clean_name, '\.[A-Za-z0-9]{1,16}$') as extension
    from cleaned

)

select
    content_version_id as "Stames_Id__c",
    ticket_id::varchar as "ref__FirstPublishLocationId",
    {{ file_name_within('clean_name', 'extension', salesforce_limit('ContentVersion.Title')) }} as "Title",
    {{ file_name_within('clean_name', 'extension', salesforce_limit('ContentVersion.PathOnClient')) }} as "PathOnClient",
    file_kind as stames__file_kind,
    message_id::varchar as stames__message_id,
    content_type as stames__content_type,
    storage_path as stames__file_path,
    size_bytes as stames__size_bytes,
    sha256 as stames__sha256,
    inline_content as stames__inline_content,
    file_name as stames__file_name
from split
