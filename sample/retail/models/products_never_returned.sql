with sold_products as (

    select product_id from int_order_lines

),

returned_products as (

    select product_id from stg_returns

),

never_returned_products as (

    select product_id from sold_products

    except

    select product_id from returned_products

),

final as (

    select
        products.product_id,
        products.product_name,
        products.category,
        products.units_sold

    from never_returned_products

    inner join products
        on never_returned_products.product_id = products.product_id

)

select * from final
