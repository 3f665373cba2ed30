{#- One ContentVersion per stored attachment, over-long body and `data:` image, published on its Case. -#}
select
    content_version_id as "Stames_Id__c",
    ticket_id::varchar as "ref__FirstPublishLocationId",
    file_name as "Title",
    file_name as "PathOnClient",
    file_kind as stames__file_kind,
    message_id::varchar as stames__message_id,
    content_type as stames__content_type,
    storage_path as stames__file_path,
    size_bytes as stames__size_bytes,
    sha256 as stames__sha256,
    inline_content as stames__inline_content
from {{ ref('int_files_collected') }}
