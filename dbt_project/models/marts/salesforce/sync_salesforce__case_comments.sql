{#- One private CaseComment per internal note when the internal_notes strategy is CaseComment
    (empty otherwise). CommentBody holds 4000 characters; a longer note's full text is a file. -#}
select
    message_id::string as Stames_Id__c,
    ticket_id::string as ref__ParentId,
    text_body as CommentBody,
    false as IsPublished,
    message_at as CreatedDate,
    thread_position as stames__thread_position,
    author_name as stames__author_name,
    text_file_id as stames__text_body_file_id
from {{ ref('int_messages_bodies_fitted') }}
where disposition = 'CaseComment'
